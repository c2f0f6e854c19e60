package org.govshare.objection;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.govshare.testing.CatalogEntries;
import org.govshare.testing.Http;
import org.govshare.testing.TestServer;

/** Departments, person resources (source and copies), records, objections and cross-checks over HTTP, on one server. */
final class ObjectionWorld {
  private static final AtomicLong ELEMENTS = new AtomicLong(System.nanoTime() % 1_000_000_000L);
  final TestServer server;
  final Http http;

  ObjectionWorld(TestServer server) {
    this.server = server;
    this.http = server.http();
  }

  record Party(String department, String token) {}

  Party party(String prefix, String... roles) {
    return client(server.department(prefix), roles);
  }

  Party client(String department, String... roles) {
    return new Party(department, server.tokenFor(server.client(department, roles)));
  }

  Party admin() {
    return new Party("BUREAU", server.adminToken());
  }

  /** Element names no other test uses: each test has its own authoritative sources. */
  static String element(String what) {
    return "t" + ELEMENTS.incrementAndGet() + "_" + what;
  }

  /**
   * A published person resource keyed by {@code pid} (data element {@code keyElement}) with {@code name}
   * (element {@code nameElement}) and {@code phone} shared unconditionally, and {@code income} conditionally. The first
   * resource of an element is its authoritative source; a later one names {@code sourceOf} as its source.
   */
  String persons(Party provider, String keyElement, String nameElement, String sourceOf) {
    boolean source = sourceOf == null;
    JsonArray items = new JsonArray()
        .add(elementItem(CatalogEntries.item("pid", "人员编号", "C", 20).put("isKey", true).put("shareType", "UNCONDITIONAL"), keyElement,
            sourceOf))
        .add(elementItem(CatalogEntries.item("name", "姓名", "C", 50).put("shareType", "UNCONDITIONAL"), nameElement, sourceOf))
        .add(CatalogEntries.item("phone", "联系电话", "C", 11).put("shareType", "UNCONDITIONAL"))
        .add(CatalogEntries.item("income", "月收入", "N", 8));
    JsonObject entry = CatalogEntries.departmental(provider.department(), (source ? "人员基本信息 " : "人员信息副本 ") + System.nanoTime())
        .put("items", items);
    String code = http.post("/api/v1/catalog/resources", entry).as(provider.token()).expect(201).json().getString("code");
    http.post(CatalogEntries.path(code) + "/publish").as(provider.token()).expect(200);
    return code;
  }

  private static JsonObject elementItem(JsonObject item, String element, String sourceOf) {
    if (element == null) {
      return item;
    }
    item.put("dataElement", element);
    return sourceOf == null ? item.put("authoritative", true) : item.put("authoritative", false).put("sourceResource", sourceOf);
  }

  static String person(String pid, String name, String phone, int income) {
    return new JsonObject().put("pid", pid).put("name", name).put("phone", phone).put("income", income).encode();
  }

  static String enc(String code) {
    return URLEncoder.encode(code, StandardCharsets.UTF_8);
  }

  JsonObject upload(Party provider, String code, List<String> lines) {
    return http.send("POST", "/api/v1/resources/" + enc(code) + "/records", String.join("\n", lines) + "\n", "application/x-ndjson")
        .as(provider.token()).expect(200).json();
  }

  Http.Call read(String code, String key) {
    return http.get("/api/v1/data/" + enc(code) + "/records/" + key);
  }

  Http.Call lookup(String code, String... keys) {
    return http.post("/api/v1/data/" + enc(code) + "/lookup", new JsonObject().put("keys", new JsonArray(List.of((Object[]) keys))));
  }

  static JsonObject objection(String code, String key, String item, Object proposed) {
    JsonObject body = new JsonObject().put("resource", code).put("key", key).put("item", item)
        .put("evidence", "户籍登记簿记载的姓名与本记录不一致，申请人提供了身份证原件");
    return proposed == null ? body : body.put("proposedValue", proposed);
  }

  Http.Call file(JsonObject body) {
    return http.post("/api/v1/objections", body);
  }

  Http.Call answer(String id, JsonObject body) {
    return http.post("/api/v1/objections/" + id + "/answer", body);
  }

  List<String> kinds(Party party, String subject) {
    JsonArray items = http.get("/api/v1/notifications?limit=500").as(party.token()).expect(200).items();
    List<String> out = new ArrayList<>();
    items.forEach(o -> {
      JsonObject n = (JsonObject) o;
      if (subject.equals(n.getString("subject"))) {
        out.add(n.getString("kind"));
      }
    });
    return out;
  }

  /** Audit records of {@code action} about a resource, newest first, as the bureau's auditor reads them. */
  List<JsonObject> audit(String resource, String action) {
    await(server.platform().auditWriter().catchUp());
    Party auditor = client("BUREAU", "AUDITOR");
    JsonArray items = http.get("/api/v1/audit?limit=500&action=" + action + "&resource=" + enc(resource)).as(auditor.token())
        .expect(200).items();
    List<JsonObject> out = new ArrayList<>();
    items.forEach(o -> out.add((JsonObject) o));
    return out;
  }

  /** Moves an objection's clock back, as if it had been filed {@code days} calendar days ago. */
  void age(String objectionId, int days) {
    await(server.platform().pool().preparedQuery("UPDATE objection SET filed_at = filed_at - make_interval(days => $2), "
        + "answer_due = answer_due - make_interval(days => $2) WHERE id = $1").execute(Tuple.of(objectionId, days)));
  }

  static <T> T await(io.vertx.core.Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
