package org.govshare.push;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.time.Duration;
import java.util.Map;
import org.govshare.testing.CatalogEntries;
import org.govshare.testing.EventStreamClient;
import org.govshare.testing.Http;
import org.govshare.testing.TestServer;

/** A provider, its CONDITIONAL case resource and consumers with grants, for the push tests. */
final class PushWorld {
  final TestServer server;
  final Http http;

  PushWorld(TestServer server) {
    this.server = server;
    this.http = server.http();
  }

  record Party(String department, String token) {}

  Party party(String prefix, String... roles) {
    String dept = server.department(prefix);
    return new Party(dept, server.tokenFor(server.client(dept, roles)));
  }

  /** Items: case_no (key), name, phone (sensitive), note (NOT_SHARED). */
  String caseResource(Party provider) {
    JsonArray items = new JsonArray()
        .add(CatalogEntries.item("case_no", "案件编号", "C", 20).put("isKey", true))
        .add(CatalogEntries.item("name", "当事人", "C", 50))
        .add(CatalogEntries.item("phone", "联系电话", "C", 20).put("sensitive", true))
        .add(CatalogEntries.item("note", "内部备注", "C", 100).put("shareType", "NOT_SHARED").put("notSharedBasis", "《个人信息保护法》第二十八条"));
    JsonObject entry = CatalogEntries.departmental(provider.department(), "行政处罚案件 " + System.nanoTime()).put("items", items);
    String code = http.post("/api/v1/catalog/resources", entry).as(provider.token()).expect(201).json().getString("code");
    http.post(CatalogEntries.path(code) + "/publish").as(provider.token()).expect(200);
    return code;
  }

  static String line(String caseNo, String name, String phone) {
    return new JsonObject().put("case_no", caseNo).put("name", name).put("phone", phone).put("note", "内部").encode();
  }

  /** Uploads the lines; returns the reply ({accepted, firstSeq, lastSeq}). */
  JsonObject upload(Party provider, String code, String... lines) {
    return http.send("POST", "/api/v1/resources/" + enc(code) + "/records", String.join("\n", lines) + "\n", "application/x-ndjson")
        .as(provider.token()).expect(200).json();
  }

  void delete(Party provider, String code, String key) {
    http.delete("/api/v1/resources/" + enc(code) + "/records/" + key).as(provider.token()).expect(204);
  }

  String grant(Party provider, Party consumer, String code, String... items) {
    String app = http.post("/api/v1/applications", new JsonObject().put("resource", code).put("items", new JsonArray(List.of((Object[]) items)))
        .put("purpose", "核查行政处罚案件当事人信息").put("usage", "DATA_VERIFICATION")).as(consumer.token()).expect(201).json().getString("id");
    return http.post("/api/v1/applications/" + app + "/decision", new JsonObject().put("decision", "APPROVE"))
        .as(provider.token()).expect(200).json().getString("grant");
  }

  void revoke(Party provider, String grant) {
    http.post("/api/v1/grants/" + grant + "/revoke", new JsonObject().put("reason", "该部门已不再承担相关审批职能"))
        .as(provider.token()).expect(200);
  }

  void retire(Party provider, String code) {
    http.post(CatalogEntries.path(code) + "/retire").as(provider.token()).expect(200);
  }

  EventStreamClient stream(TestServer on, Party reader, String code, Map<String, String> headers, String query) {
    return EventStreamClient.open(on.baseUrl(), "/api/v1/data/" + enc(code) + "/changes" + (query == null ? "" : "?" + query), reader.token(),
        headers);
  }

  EventStreamClient stream(Party reader, String code) {
    return stream(server, reader, code, Map.of(), null);
  }

  static String enc(String code) {
    return URLEncoder.encode(code, StandardCharsets.UTF_8);
  }

  /** The audit records of {@code action} about {@code code}, once the audit log caught up. */
  List<JsonObject> audit(String code, String action) {
    try {
      server.platform().auditWriter().catchUp().toCompletionStage().toCompletableFuture().get(30, java.util.concurrent.TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    Party auditor = new Party("BUREAU", server.tokenFor(server.client("BUREAU", "AUDITOR")));
    JsonArray items = http.get("/api/v1/audit?limit=500&resource=" + enc(code)).as(auditor.token()).expect(200).items();
    List<JsonObject> out = new java.util.ArrayList<>();
    items.forEach(o -> {
      if (action.equals(((JsonObject) o).getString("action"))) {
        out.add((JsonObject) o);
      }
    });
    return out;
  }

  /** Polls {@code condition} until it holds, failing after {@code timeout}. */
  static void eventually(Duration timeout, String what, java.util.function.BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + timeout + ": " + what);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
  }
}
