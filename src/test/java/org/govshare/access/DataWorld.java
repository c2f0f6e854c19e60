package org.govshare.access;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.govshare.identity.CreditCode;
import org.govshare.testing.CatalogEntries;
import org.govshare.testing.Http;
import org.govshare.testing.TestServer;

/** Departments, catalogue entries, uploads and reads for the data plane's integration tests, on one server. */
final class DataWorld {
  static final String NDJSON = "application/x-ndjson";
  final TestServer server;
  final Http http;

  DataWorld(TestServer server) {
    this.server = server;
    this.http = server.http();
  }

  record Party(String department, String token) {}

  Party party(String prefix, String... roles) {
    String dept = server.department(prefix);
    return new Party(dept, server.tokenFor(server.client(dept, roles)));
  }

  Party client(String department, String... roles) {
    return new Party(department, server.tokenFor(server.client(department, roles)));
  }

  static String id(String area, String birth, String sequence) {
    return ResidentIdTest.valid(area, birth, sequence);
  }

  static String creditCode(String first16) {
    String first17 = first16 + "1";
    return first17 + CreditCode.checkCharacter(first17);
  }

  /** The item declares the data element: as its authoritative source when there is none yet, else as a copy of it. */
  JsonObject element(JsonObject item, String element) {
    Http.Reply source = http.get("/api/v1/catalog/data-elements/" + element).as(server.adminToken()).send();
    item.put("dataElement", element);
    if (source.status() == 200) {
      return item.put("authoritative", false).put("sourceResource", source.json().getString("resource"));
    }
    return item.put("authoritative", true);
  }

  /** A CONDITIONAL person resource: everything needs a grant, the address is withheld (NOT_SHARED). */
  String personResource(Party provider, String status) {
    JsonArray items = new JsonArray()
        .add(element(CatalogEntries.item("id_number", "公民身份号码", "C", 18).put("isKey", true).put("sensitive", true), "citizen_id_number"))
        .add(CatalogEntries.item("name", "姓名", "C", 50))
        .add(CatalogEntries.item("birth_date", "出生日期", "D", null))
        .add(CatalogEntries.item("income", "月收入", "N", 8))
        .add(CatalogEntries.item("address", "住址", "C", 100).put("shareType", "NOT_SHARED").put("notSharedBasis", "《个人信息保护法》第二十八条"));
    JsonObject entry = CatalogEntries.departmental(provider.department(), "低保对象信息 " + System.nanoTime()).put("items", items);
    return register(provider, entry, status);
  }

  /** An UNCONDITIONAL company resource with a sensitive item. */
  String companyResource(Party provider) {
    JsonArray items = new JsonArray()
        .add(element(CatalogEntries.item("credit_code", "统一社会信用代码", "C", 18).put("isKey", true), "unified_social_credit_code"))
        .add(CatalogEntries.item("name", "名称", "C", 100))
        .add(CatalogEntries.item("capital", "注册资本", "Y", null))
        .add(CatalogEntries.item("founded", "成立日期", "D", null))
        .add(CatalogEntries.item("active", "存续", "L", null))
        .add(element(CatalogEntries.item("legal_rep_phone", "法定代表人电话", "C", 11).put("sensitive", true), "mobile_phone_number"));
    JsonObject entry = CatalogEntries.base(provider.department(), "法人单位基本信息 " + System.nanoTime()).put("subject", "LEGAL_ENTITY")
        .put("items", items);
    return register(provider, entry, "PUBLISHED");
  }

  String register(Party provider, JsonObject entry, String status) {
    String code = http.post("/api/v1/catalog/resources", entry).as(provider.token()).expect(201).json().getString("code");
    if (!"DRAFT".equals(status)) {
      http.post(CatalogEntries.path(code) + "/publish").as(provider.token()).expect(200);
    }
    if ("RETIRED".equals(status)) {
      http.post(CatalogEntries.path(code) + "/retire").as(provider.token()).expect(200);
    }
    return code;
  }

  static String enc(String code) {
    return URLEncoder.encode(code, StandardCharsets.UTF_8);
  }

  Http.Call upload(String code, String... lines) {
    return http.send("POST", "/api/v1/resources/" + enc(code) + "/records", String.join("\n", lines) + "\n", NDJSON);
  }

  Http.Call read(String code, String key) {
    return http.get("/api/v1/data/" + enc(code) + "/records/" + key);
  }

  Http.Call lookup(String code, String... keys) {
    return http.post("/api/v1/data/" + enc(code) + "/lookup", new JsonObject().put("keys", new JsonArray(List.of((Object[]) keys))));
  }

  Http.Call verify(String code, String key, JsonObject values) {
    return http.post("/api/v1/data/" + enc(code) + "/verify", new JsonObject().put("key", key).put("values", values));
  }

  String grant(Party provider, Party consumer, String code, String... items) {
    String app = http.post("/api/v1/applications", new JsonObject().put("resource", code).put("items", new JsonArray(List.of((Object[]) items)))
        .put("purpose", "核验最低生活保障申请人的家庭收入").put("usage", "DATA_VERIFICATION")).as(consumer.token()).expect(201).json().getString("id");
    return http.post("/api/v1/applications/" + app + "/decision", new JsonObject().put("decision", "APPROVE"))
        .as(provider.token()).expect(200).json().getString("grant");
  }

  List<JsonObject> audit(String code, String action) {
    await(server.platform().auditWriter().catchUp());
    Party auditor = client("BUREAU", "AUDITOR");
    JsonArray items = http.get("/api/v1/audit?limit=500&resource=" + enc(code)).as(auditor.token()).expect(200).items();
    List<JsonObject> out = new ArrayList<>();
    items.forEach(o -> {
      if (action.equals(((JsonObject) o).getString("action"))) {
        out.add((JsonObject) o);
      }
    });
    return out;
  }

  static <T> T await(io.vertx.core.Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static String person(String id, String name, int income, String address) {
    return new JsonObject().put("id_number", id).put("name", name).put("birth_date", id.substring(6, 10) + "-" + id.substring(10, 12)
        + "-" + id.substring(12, 14)).put("income", income).put("address", address).encode();
  }
}
