package org.govshare.sharing;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.govshare.testing.CatalogEntries;
import org.govshare.testing.Http;
import org.govshare.testing.TestServer;

/** Departments, clients and catalogue entries (through the catalogue's API) for the sharing workflow's integration tests. */
final class SharingWorld {
  private static final String RESOURCES = "/api/v1/catalog/resources";
  private static final AtomicInteger SEQUENCE = new AtomicInteger(1000);
  private static final Map<String, Entry> ENTRIES = new ConcurrentHashMap<>();

  final TestServer server = TestServer.shared();
  final Http http = server.http();

  private record Entry(Party provider, JsonObject entry) {}

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

  /** A published entry of {@code provider}; items given as key=SHARE_TYPE, the first one is the entry's key item. */
  String resource(Party provider, String shareType, String... items) {
    return resourceIn("PUBLISHED", provider, shareType, items);
  }

  /** An entry registered through the catalogue API and taken to {@code status} (DRAFT, PUBLISHED or RETIRED). */
  String resourceIn(String status, Party provider, String shareType, String... items) {
    JsonArray list = new JsonArray();
    for (int i = 0; i < items.length; i++) {
      String[] kv = items[i].split("=");
      JsonObject item = CatalogEntries.item(kv[0], "数据项 " + kv[0], "C", 50).put("isKey", i == 0);
      if (kv.length > 1) {
        item.put("shareType", kv[1]);
        if ("NOT_SHARED".equals(kv[1])) {
          item.put("notSharedBasis", "《个人信息保护法》第二十八条");
        }
      }
      list.add(item);
    }
    JsonObject entry = CatalogEntries.departmental(provider.department(), "测试资源 " + SEQUENCE.incrementAndGet())
        .put("shareType", shareType).put("items", list);
    if ("NOT_SHARED".equals(shareType)) {
      entry.put("notSharedBasis", "《中华人民共和国统计法》第二十五条");
    }
    String code = http.post(RESOURCES, entry).as(provider.token()).expect(201).json().getString("code");
    ENTRIES.put(code, new Entry(provider, entry));
    if (!"DRAFT".equals(status)) {
      http.post(CatalogEntries.path(code) + "/publish").as(provider.token()).expect(200);
    }
    if ("RETIRED".equals(status)) {
      retire(code);
    }
    return code;
  }

  /** The provider retires the entry; the catalogue tells the grants. */
  void retire(String code) {
    Entry e = ENTRIES.get(code);
    http.post(CatalogEntries.path(code) + "/retire").as(e.provider().token()).expect(200);
  }

  /** The provider files a new version without these items; the catalogue tells the grants. */
  void dropItems(String code, String... keys) {
    Entry e = ENTRIES.get(code);
    List<String> gone = List.of(keys);
    JsonArray left = new JsonArray();
    e.entry().getJsonArray("items").forEach(i -> {
      if (!gone.contains(((JsonObject) i).getString("key"))) {
        left.add(i);
      }
    });
    JsonObject next = e.entry().copy().put("items", left);
    http.put(CatalogEntries.path(code), next).as(e.provider().token()).expect(200);
    ENTRIES.put(code, new Entry(e.provider(), next));
  }

  /** The provider files a new version with this item's share type changed. */
  void shareItem(String code, String key, String shareType) {
    Entry e = ENTRIES.get(code);
    JsonObject next = e.entry().copy();
    next.getJsonArray("items").forEach(i -> {
      if (key.equals(((JsonObject) i).getString("key"))) {
        ((JsonObject) i).put("shareType", shareType);
      }
    });
    http.put(CatalogEntries.path(code), next).as(e.provider().token()).expect(200);
    ENTRIES.put(code, new Entry(e.provider(), next));
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
