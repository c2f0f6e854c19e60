package org.govshare.sharing;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.govshare.audit.Caller;
import org.govshare.catalog.SharedItem;
import org.govshare.catalog.SharedResource;
import org.govshare.testing.Http;
import org.govshare.testing.TestServer;

/** Departments, clients and catalogue entries for the sharing workflow's integration tests. */
final class SharingWorld {
  private static final InMemoryCatalog CATALOG = new InMemoryCatalog();
  private static final AtomicInteger SEQUENCE = new AtomicInteger(1000);
  private static boolean installed;

  final TestServer server = TestServer.shared();
  final Http http = server.http();

  SharingWorld() {
    synchronized (SharingWorld.class) {
      if (!installed) {
        server.platform().useCatalogDirectory(CATALOG);
        installed = true;
      }
    }
  }

  static org.govshare.catalog.CatalogDirectory catalog() {
    return CATALOG;
  }

  /** One department's API client: its department code, client id and a token. */
  record Party(String department, String clientId, String token) {}

  Party party(String prefix, String... roles) {
    String dept = server.department(prefix);
    return client(dept, roles);
  }

  Party client(String department, String... roles) {
    TestServer.Client c = server.client(department, roles);
    return new Party(department, c.clientId(), server.tokenFor(c));
  }

  Party bureauAuditor() {
    return client("BUREAU", "AUDITOR");
  }

  String admin() {
    return server.adminToken();
  }

  /** A published entry of {@code provider}; items given as key=SHARE_TYPE. */
  String resource(Party provider, String shareType, String... items) {
    return resource(provider.department(), "PUBLISHED", shareType, items);
  }

  String resource(String provider, String status, String shareType, String... items) {
    String code = "2/" + provider.replaceAll("[^A-Za-z0-9]", "") + String.format("%05d", SEQUENCE.incrementAndGet());
    List<SharedItem> list = new ArrayList<>();
    for (String spec : items) {
      String[] kv = spec.split("=");
      String type = kv.length > 1 ? kv[1] : null;
      list.add(new SharedItem(kv[0], kv[0], type, "NOT_SHARED".equals(type) ? "《个人信息保护法》第二十八条" : null, false, false));
    }
    CATALOG.put(new SharedResource(code, "测试资源 " + code, provider, status, 1, shareType, "经审批后共享",
        "NOT_SHARED".equals(shareType) ? "《中华人民共和国统计法》第二十五条" : null, list));
    return code;
  }

  void retire(String code) {
    SharedResource r = CATALOG.resource(code).result().orElseThrow();
    CATALOG.put(new SharedResource(r.code(), r.name(), r.provider(), "RETIRED", r.version() + 1, r.shareType(), r.shareCondition(),
        r.notSharedBasis(), r.items()));
    await(server.platform().catalogListener().resourceRetired(Caller.system("test-catalogue"), code));
  }

  void dropItems(String code, String... keys) {
    SharedResource r = CATALOG.resource(code).result().orElseThrow();
    List<String> gone = List.of(keys);
    CATALOG.put(new SharedResource(r.code(), r.name(), r.provider(), r.status(), r.version() + 1, r.shareType(), r.shareCondition(),
        r.notSharedBasis(), r.items().stream().filter(i -> !gone.contains(i.key())).toList()));
    await(server.platform().catalogListener().itemsRemoved(Caller.system("test-catalogue"), code, java.util.Set.of(keys)));
  }

  JsonObject apply(Party consumer, String resource, String... items) {
    return http.post("/api/v1/applications", application(resource, items)).as(consumer.token()).expect(201).json();
  }

  static JsonObject application(String resource, String... items) {
    return new JsonObject().put("resource", resource).put("items", new JsonArray(List.of((Object[]) items)))
        .put("purpose", "核验最低生活保障申请人的家庭收入").put("usage", "DATA_VERIFICATION");
  }

  JsonObject approve(Party provider, String applicationId) {
    return http.post("/api/v1/applications/" + applicationId + "/decision", new JsonObject().put("decision", "APPROVE"))
        .as(provider.token()).expect(200).json();
  }

  JsonObject check(Party consumer, String resource) {
    return http.get("/api/v1/grants/check?resource=" + resource).as(consumer.token()).expect(200).json();
  }

  List<JsonObject> inbox(Party party, String subject) {
    JsonArray items = http.get("/api/v1/notifications?limit=500").as(party.token()).expect(200).items();
    List<JsonObject> out = new ArrayList<>();
    items.forEach(o -> {
      JsonObject n = (JsonObject) o;
      if (subject.equals(n.getString("subject"))) {
        out.add(n);
      }
    });
    return out;
  }

  List<String> kinds(Party party, String subject) {
    return inbox(party, subject).stream().map(n -> n.getString("kind")).toList();
  }

  /** Audit actions recorded for a resource, oldest first, as the bureau's auditor reads them. */
  List<String> auditActions(Party auditor, String resource) {
    JsonArray items = http.get("/api/v1/audit?limit=500&resource=" + resource).as(auditor.token()).expect(200).items();
    List<String> out = new ArrayList<>();
    for (int i = items.size() - 1; i >= 0; i--) {
      JsonObject r = items.getJsonObject(i);
      out.add(r.getString("action") + ":" + r.getString("outcome"));
    }
    return out;
  }

  /** Moves an application's clock back, as if it had been submitted {@code days} calendar days ago. */
  void age(String applicationId, int days) {
    sql("UPDATE application SET submitted_at = submitted_at - make_interval(days => $2), "
        + "decision_due = decision_due - make_interval(days => $2) WHERE id = $1", Tuple.of(applicationId, days));
  }

  void sql(String statement, Tuple args) {
    await(server.platform().pool().preparedQuery(statement).execute(args));
  }

  static LocalDate today() {
    return LocalDate.now(ZoneId.of("Asia/Shanghai"));
  }

  static <T> T await(io.vertx.core.Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
