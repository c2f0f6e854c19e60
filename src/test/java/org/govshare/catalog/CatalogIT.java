package org.govshare.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.govshare.testing.CatalogEntries.base;
import static org.govshare.testing.CatalogEntries.departmental;
import static org.govshare.testing.CatalogEntries.item;
import static org.govshare.testing.CatalogEntries.path;
import static org.govshare.testing.CatalogEntries.thematic;
import static org.govshare.testing.CatalogEntries.url;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.govshare.testing.CsvReader;
import org.govshare.testing.Http;
import org.govshare.testing.TestServer;
import org.junit.jupiter.api.Test;

class CatalogIT {
  private static final String RESOURCES = "/api/v1/catalog/resources";

  private final TestServer server = TestServer.shared();
  private final Http http = server.http();

  /** A department with a provider client. */
  private record Dept(String code, String provider) {}

  private Dept dept(String prefix) {
    String code = server.department(prefix);
    return new Dept(code, server.tokenFor(server.client(code, "PROVIDER", "CONSUMER")));
  }

  private JsonObject create(Dept d, JsonObject entry) {
    return http.post(RESOURCES, entry).as(d.provider()).expect(201).json();
  }

  private JsonObject publish(Dept d, String code) {
    return http.post(path(code) + "/publish").as(d.provider()).expect(200).json();
  }

  @Test
  void create_entriesOfEveryCategoryGetStructuredCodes() {
    Dept d = dept("CAT");
    JsonObject b = create(d, base(d.code(), "综合人口信息"));
    JsonObject t = create(d, thematic(d.code(), "居民健康档案").put("subject", "EMERGENCY_STABILITY"));
    JsonObject p = create(d, departmental(d.code(), "行政许可办件信息"));
    JsonObject b2 = create(d, base(d.code(), "户籍迁移信息"));

    for (JsonObject r : List.of(b, t, p, b2)) {
      assertThat(r.getString("code")).matches("[123][0-9]{5}/[0-9]{6}");
      assertThat(r.getString("status")).isEqualTo("DRAFT");
      assertThat(r.getInteger("version")).isEqualTo(1);
      assertThat(r.getString("code")).startsWith(r.getString("classification") + "/");
    }
    String departmentDigits = b.getString("classification").substring(3);
    assertThat(b.getString("classification")).isEqualTo("101" + departmentDigits);
    assertThat(t.getString("classification")).isEqualTo("210" + departmentDigits);
    assertThat(p.getString("classification")).isEqualTo("301" + departmentDigits);
    int first = Integer.parseInt(b.getString("code").substring(7));
    assertThat(b2.getString("code")).isEqualTo(b.getString("classification") + "/" + String.format("%06d", first + 1));

    JsonObject read = http.get(path(b.getString("code"))).as(d.provider()).expect(200).json();
    assertThat(http.get(RESOURCES + "/" + b.getString("code")).as(d.provider()).expect(200).json()).isEqualTo(read);
    assertThat(read.getString("name")).isEqualTo("综合人口信息");
    assertThat(read.getJsonArray("items")).hasSize(3);
    assertThat(read.getJsonObject("format").getString("class")).isEqualTo("DATABASE");
    assertThat(read.getJsonObject("access").getString("mode")).isEqualTo("HOSTED");
    assertThat(read.getBoolean("classified")).isFalse();
  }

  @Test
  void create_concurrentRegistrationsGetDistinctSequenceNumbers() {
    Dept d = dept("SEQ");
    List<CompletableFuture<Http.Reply>> calls = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      JsonObject entry = base(d.code(), "并发登记" + i);
      calls.add(CompletableFuture.supplyAsync(() -> http.post(RESOURCES, entry).as(d.provider()).send()));
    }
    Set<String> codes = new HashSet<>();
    calls.forEach(c -> {
      Http.Reply r = c.join();
      assertThat(r.status()).as(r.body()).isEqualTo(201);
      codes.add(r.json().getString("code"));
    });
    assertThat(codes).hasSize(12);
    assertThat(codes.stream().map(c -> c.substring(0, 6)).distinct()).hasSize(1);
  }

  @Test
  void create_eachBrokenRuleIsRefusedNamingItsField() {
    Dept d = dept("RULE");
    refused(d, base(d.code(), "x"), e -> e.put("shareType", "CONDITIONAL").put("shareCondition", "c"), "shareType");
    refused(d, departmental(d.code(), "x"), e -> e.put("shareType", "NOT_SHARED").putNull("shareMethod"), "notSharedBasis");
    refused(d, departmental(d.code(), "x"), e -> e.putNull("shareCondition"), "shareCondition");
    refused(d, departmental(d.code(), "x"), e -> e.putNull("shareMethod"), "shareMethod");
    refused(d, base(d.code(), "x"), e -> items(e).getJsonObject(1).put("shareType", "CONDITIONAL"), "items[1].shareType");
    refused(d, departmental(d.code(), "x"), e -> items(e).getJsonObject(1).put("shareType", "NOT_SHARED"), "items[1].notSharedBasis");
    refused(d, departmental(d.code(), "x"), e -> {
      e.put("shareType", "NOT_SHARED").put("notSharedBasis", "《保守国家秘密法》").putNull("shareMethod");
      items(e).getJsonObject(2).put("shareType", "UNCONDITIONAL");
    }, "items[2].shareType");
    refused(d, base(d.code(), "x"), e -> items(e).getJsonObject(0).put("isKey", false), "items");
    refused(d, base(d.code(), "x"), e -> items(e).getJsonObject(1).put("isKey", true), "items");
    refused(d, base(d.code(), "x"), e -> items(e).getJsonObject(2).put("key", "name"), "items[2].key");
    refused(d, base(d.code(), "x"), e -> e.put("classified", true), "classified");
    refused(d, base(d.code(), "x"), e -> items(e).getJsonObject(1).putNull("length"), "items[1].length");
    refused(d, base(d.code(), "x"), e -> items(e).add(item("amount", "金额", "N", null)), "items[3].length");
    refused(d, base(d.code(), "x"), e -> e.put("subject", "HEALTH"), "subject");
    refused(d, thematic(d.code(), "x"), e -> e.putNull("subject"), "subject");
    refused(d, departmental(d.code(), "x"), e -> e.put("subject", "POPULATION"), "subject");
    refused(d, base(d.code(), "x"), e -> items(e).getJsonObject(0).put("dataElement", "citizen_id_number"), "items[0].sourceResource");
    refused(d, base(d.code(), "x"), e -> e.put("access", new JsonObject().put("mode", "PROXY")), "access.endpoint");
    refused(d, base(d.code(), "x"), e -> e.put("openType", "CONDITIONAL_OPEN"), "openCondition");

    JsonObject malformed = http.post(RESOURCES, base(d.code(), "x").put("category", "LOCAL")).as(d.provider())
        .expectProblem(400, "VALIDATION_FAILED").json();
    assertThat(malformed.getJsonArray("errors").encode()).contains("category");
  }

  @Test
  void create_conditionalResourceSharesSomeItemsToAllAndWithholdsOthers() {
    Dept d = dept("PART");
    JsonObject entry = departmental(d.code(), "企业纳税信用信息");
    items(entry).getJsonObject(1).put("shareType", "UNCONDITIONAL");
    items(entry).getJsonObject(2).put("shareType", "NOT_SHARED").put("notSharedBasis", "《个人信息保护法》第二十八条");
    String code = create(d, entry).getString("code");

    SharedResource shared = server.platform().catalog().resource(code).toCompletionStage().toCompletableFuture().join().orElseThrow();
    assertThat(shared.item("id_number").orElseThrow().shareType()).isEqualTo("CONDITIONAL");
    assertThat(shared.item("name").orElseThrow().shareType()).isEqualTo("UNCONDITIONAL");
    assertThat(shared.item("birth_date").orElseThrow().notSharedBasis()).contains("个人信息保护法");

    JsonObject proxy = base(d.code(), "电子证照核验接口").put("access", new JsonObject().put("mode", "PROXY")
        .put("endpoint", "https://zhzz.example.gov.cn/api/verify").put("method", "POST").put("description", "按证照编号核验"));
    assertThat(create(d, proxy).getJsonObject("access").getString("endpoint")).startsWith("https://");
  }

  private void refused(Dept d, JsonObject valid, Consumer<JsonObject> breakIt, String field) {
    JsonObject entry = valid.copy();
    breakIt.accept(entry);
    JsonObject problem = http.post(RESOURCES, entry).as(d.provider()).expectProblem(422, "VALIDATION_FAILED").json();
    List<String> fields = new ArrayList<>();
    problem.getJsonArray("errors").forEach(e -> fields.add(((JsonObject) e).getString("field")));
    assertThat(fields).as("fields refused for %s: %s", field, problem.encode()).contains(field);
  }

  private List<String> codes(String query, Dept viewer) {
    List<String> out = new ArrayList<>();
    http.get(url(RESOURCES + "?" + query)).as(viewer.provider()).expect(200).items().forEach(o -> out.add(((JsonObject) o).getString("code")));
    return out;
  }

  private static JsonArray items(JsonObject entry) {
    return entry.getJsonArray("items");
  }

  @Test
  void edit_onlyTheProviderDepartmentEditsItsEntries() {
    Dept owner = dept("OWN");
    Dept other = dept("OTH");
    String consumerOfOwner = server.tokenFor(server.client(owner.code(), "CONSUMER"));
    String code = create(owner, base(owner.code(), "不动产登记信息")).getString("code");

    http.post(RESOURCES, base(owner.code(), "冒名登记")).as(other.provider()).expectProblem(403, "FORBIDDEN");
    http.post(RESOURCES, base(owner.code(), "消费者登记")).as(consumerOfOwner).expectProblem(403, "FORBIDDEN");
    http.get(path(code)).as(other.provider()).expectProblem(404, "NOT_FOUND");

    publish(owner, code);
    http.get(path(code)).as(other.provider()).expect(200);
    http.put(path(code), base(owner.code(), "改名")).as(other.provider()).expectProblem(403, "FORBIDDEN");
    http.put(path(code), base(owner.code(), "改名")).as(consumerOfOwner).expectProblem(403, "FORBIDDEN");
    http.post(path(code) + "/retire").as(other.provider()).expectProblem(403, "FORBIDDEN");
    http.post(path(code) + "/publish").as(other.provider()).expectProblem(403, "FORBIDDEN");
    JsonArray denied = http.get(url("/api/v1/audit?outcome=DENIED&resource=" + code)).as(server.adminToken()).expect(200).items();
    assertThat(denied).isNotEmpty();
    assertThat(denied.getJsonObject(0).getString("department")).isEqualTo(other.code());

    http.put(RESOURCES + "/" + code, base(owner.code(), "改名")).as(other.provider()).expectProblem(403, "FORBIDDEN");
    http.post(RESOURCES + "/" + code + "/publish").as(other.provider()).expectProblem(403, "FORBIDDEN");
    JsonObject retired = http.post(RESOURCES + "/" + code + "/retire").as(server.adminToken()).expect(200).json();
    assertThat(retired.getString("status")).isEqualTo("RETIRED");
  }

  @Test
  void versions_publishFilesAndEditsMakeVersionsWithItemByItemChanges() {
    Dept d = dept("VER");
    JsonObject entry = base(d.code(), "综合人口信息");
    String code = create(d, entry).getString("code");
    entry.put("summary", "草稿修改后的摘要");
    JsonObject amended = http.put(path(code), entry).as(d.provider()).expect(200).json();
    assertThat(amended.getInteger("version")).isEqualTo(1);
    assertThat(amended.getString("status")).isEqualTo("DRAFT");

    JsonObject published = publish(d, code);
    assertThat(published.getString("status")).isEqualTo("PUBLISHED");
    assertThat(published.getString("publishDate")).matches("\\d{4}-\\d{2}-\\d{2}");
    assertThat(published.getJsonObject("filing").getInteger("version")).isEqualTo(1);
    http.post(path(code) + "/publish").as(d.provider()).expectProblem(409, "CONFLICT");

    JsonObject next = entry.copy().put("name", "综合人口基础信息");
    items(next).remove(2);
    items(next).getJsonObject(1).put("length", 100);
    items(next).add(item("gender", "性别", "C", 1));
    JsonObject v2 = http.put(path(code), next).as(d.provider()).expect(200).json();
    assertThat(v2.getInteger("version")).isEqualTo(2);
    assertThat(v2.getString("status")).isEqualTo("PUBLISHED");
    assertThat(v2.getString("code")).isEqualTo(code);
    assertThat(v2.getJsonObject("filing").getInteger("version")).isEqualTo(2);

    assertThat(http.put(path(code), next).as(d.provider()).expect(200).json().getInteger("version")).isEqualTo(2);
    http.put(path(code), next.copy().put("category", "THEMATIC").put("subject", "HEALTH")).as(d.provider())
        .expectProblem(422, "VALIDATION_FAILED");

    JsonArray versions = http.get(path(code) + "/versions").as(d.provider()).expect(200).items();
    assertThat(versions).hasSize(2);
    assertThat(versions.getJsonObject(0).getValue("changes")).isNull();
    JsonObject changes = versions.getJsonObject(1).getJsonObject("changes");
    assertThat(changes.getJsonArray("fields").encode()).contains("\"field\":\"name\"").contains("综合人口基础信息");
    JsonObject itemChanges = changes.getJsonObject("items");
    assertThat(itemChanges.getJsonArray("added").getJsonObject(0).getString("key")).isEqualTo("gender");
    assertThat(itemChanges.getJsonArray("removed").getJsonObject(0).getString("key")).isEqualTo("birth_date");
    JsonObject changed = itemChanges.getJsonArray("changed").getJsonObject(0);
    assertThat(changed.getString("key")).isEqualTo("name");
    assertThat(changed.getJsonArray("fields").getJsonObject(0).getString("field")).isEqualTo("length");
    assertThat(changed.getJsonArray("fields").getJsonObject(0).getInteger("from")).isEqualTo(50);
    assertThat(changed.getJsonArray("fields").getJsonObject(0).getInteger("to")).isEqualTo(100);

    JsonArray filings = http.get("/api/v1/catalog/filings?resource=" + code).as(server.adminToken()).expect(200).items();
    assertThat(filings).hasSize(2);
    assertThat(http.get("/api/v1/catalog/filings?provider=" + d.code()).as(d.provider()).expect(200).items()).hasSize(2);
    Dept other = dept("VEROTH");
    http.get("/api/v1/catalog/filings?provider=" + d.code()).as(other.provider()).expectProblem(403, "FORBIDDEN");
    assertThat(http.get("/api/v1/audit?resource=" + code + "&action=CATALOG_UPDATE").as(server.adminToken()).expect(200).items())
        .isNotEmpty();

    JsonObject retired = http.post(path(code) + "/retire").as(d.provider()).expect(200).json();
    assertThat(retired.getString("status")).isEqualTo("RETIRED");
    http.put(path(code), next).as(d.provider()).expectProblem(409, "CONFLICT");
    assertThat(http.get(path(code) + "/versions").as(other.provider()).expect(200).items()).hasSize(2);
    assertThat(http.get(RESOURCES + "/" + code + "/versions").as(other.provider()).expect(200).items()).hasSize(2);
  }

  @Test
  void oneDatumOneSource_aSecondAuthoritativeSourceIsRefusedNamingTheFirst() {
    Dept police = dept("GA");
    Dept civil = dept("MZ");
    String element = "citizen_id_" + System.nanoTime();
    JsonObject first = base(police.code(), "人口基本信息");
    items(first).getJsonObject(0).put("dataElement", element).put("authoritative", true);
    String source = create(police, first).getString("code");
    publish(police, source);

    JsonObject found = http.get("/api/v1/catalog/data-elements/" + element).as(civil.provider()).expect(200).json();
    assertThat(found.getString("resource")).isEqualTo(source);
    assertThat(found.getString("item")).isEqualTo("id_number");

    JsonObject second = base(civil.code(), "婚姻登记信息");
    items(second).getJsonObject(0).put("dataElement", element).put("authoritative", true);
    JsonObject refused = http.post(RESOURCES, second).as(civil.provider()).expectProblem(409, "CONFLICT").json();
    assertThat(refused.getString("detail")).contains(source).contains("id_number");
    assertThat(refused.getJsonObject("existingSource").getString("resource")).isEqualTo(source);

    JsonObject copy = base(civil.code(), "婚姻登记信息");
    items(copy).getJsonObject(0).put("dataElement", element).put("sourceResource", "101999/000001");
    JsonObject wrong = http.post(RESOURCES, copy).as(civil.provider()).expectProblem(422, "VALIDATION_FAILED").json();
    assertThat(wrong.getString("detail")).contains(source);
    items(copy).getJsonObject(0).put("sourceResource", source);
    create(civil, copy);

    http.post(path(source) + "/retire").as(police.provider()).expect(200);
    http.get("/api/v1/catalog/data-elements/" + element).as(civil.provider()).expectProblem(404, "NOT_FOUND");
    create(civil, second);
    assertThat(http.get("/api/v1/catalog/data-elements/" + element).as(civil.provider()).expect(200).json().getString("provider"))
        .isEqualTo(civil.code());
  }

  @Test
  void oneDatumOneSource_anotherDepartmentsDraftReservesTheElementWithoutBeingNamed() {
    Dept police = dept("GAD");
    Dept civil = dept("MZD");
    String element = "household_no_" + System.nanoTime();
    JsonObject first = base(police.code(), "户籍草稿");
    items(first).getJsonObject(0).put("dataElement", element).put("authoritative", true);
    String draft = create(police, first).getString("code");

    assertThat(http.get("/api/v1/catalog/data-elements/" + element).as(police.provider()).expect(200).json().getString("resource"))
        .isEqualTo(draft);
    assertThat(http.get("/api/v1/catalog/data-elements/" + element).as(server.adminToken()).expect(200).json().getString("resource"))
        .isEqualTo(draft);
    Http.Reply hidden = http.get("/api/v1/catalog/data-elements/" + element).as(civil.provider()).expectProblem(404, "NOT_FOUND");
    assertThat(hidden.body()).doesNotContain(draft).doesNotContain(police.code());

    JsonObject second = base(civil.code(), "婚姻登记信息");
    items(second).getJsonObject(0).put("dataElement", element).put("authoritative", true);
    Http.Reply refused = http.post(RESOURCES, second).as(civil.provider()).expectProblem(409, "CONFLICT");
    assertThat(refused.body()).contains(element).doesNotContain(draft).doesNotContain(police.code()).doesNotContain("户籍草稿");
    assertThat(refused.json().containsKey("existingSource")).isFalse();

    JsonObject copy = base(civil.code(), "婚姻登记信息");
    items(copy).getJsonObject(0).put("dataElement", element);
    Http.Reply wrong = http.post(RESOURCES, copy).as(civil.provider()).expectProblem(422, "VALIDATION_FAILED");
    assertThat(wrong.body()).doesNotContain(draft).doesNotContain(police.code());

    publish(police, draft);
    assertThat(http.get("/api/v1/catalog/data-elements/" + element).as(civil.provider()).expect(200).json().getString("resource"))
        .isEqualTo(draft);
  }

  @Test
  void access_acceptsOnlyItsDocumentedFieldsWithinBounds() {
    Dept d = dept("ACC");
    JsonObject padded = base(d.code(), "接口资源").put("access", new JsonObject().put("mode", "PROXY")
        .put("endpoint", "https://ga.example/api").put("junk", "x".repeat(10_000)));
    http.post(RESOURCES, padded).as(d.provider()).expectProblem(400, "VALIDATION_FAILED");
    JsonObject tooMany = base(d.code(), "接口资源").put("access", new JsonObject().put("mode", "PROXY")
        .put("endpoint", "https://ga.example/api").put("parameters", new JsonArray(java.util.Collections.nCopies(51,
            new JsonObject().put("name", "id")))));
    http.post(RESOURCES, tooMany).as(d.provider()).expectProblem(400, "VALIDATION_FAILED");
    JsonObject proxy = base(d.code(), "接口资源").put("access", new JsonObject().put("mode", "PROXY")
        .put("endpoint", "https://ga.example/api").put("method", "POST").put("specification", "https://ga.example/openapi.yaml")
        .put("parameters", new JsonArray().add(new JsonObject().put("name", "idNumber").put("in", "body").put("required", true))));
    JsonObject created = create(d, proxy);
    assertThat(created.getJsonObject("access")).isEqualTo(proxy.getJsonObject("access"));
  }

  @Test
  void csv_neutralisesCellsThatWouldRunAsFormulas() {
    Dept d = dept("CSVF");
    JsonObject entry = base(d.code(), "=HYPERLINK(\"http://evil.example\",\"点击\")").put("summary", "@SUM(1+1)*cmd|' /C calc'!A0")
        .put("usageRequirements", "-2+3");
    items(entry).getJsonObject(1).put("name", "+姓名");
    String code = create(d, entry).getString("code");
    publish(d, code);
    Http.Reply reply = http.get(RESOURCES + "?provider=" + d.code()).header("Accept", "text/csv").as(d.provider()).expect(200);
    List<List<String>> rows = CsvReader.parse(reply.body().substring(1));
    assertThat(rows.get(1).get(1)).isEqualTo("'=HYPERLINK(\"http://evil.example\",\"点击\")");
    assertThat(rows.get(1).get(4)).isEqualTo("'@SUM(1+1)*cmd|' /C calc'!A0");
    assertThat(rows.get(2).get(6)).isEqualTo("'+姓名");
    assertThat(rows.stream().flatMap(List::stream)).noneMatch(c -> !c.isEmpty() && "=+-@\t\r".indexOf(c.charAt(0)) >= 0);
  }

  @Test
  void oneDatumOneSource_holdsWhenDepartmentsDeclareAtTheSameMoment() {
    String element = "licence_no_" + System.nanoTime();
    List<Dept> depts = List.of(dept("RACE"), dept("RACE"), dept("RACE"), dept("RACE"));
    List<CompletableFuture<Http.Reply>> calls = new ArrayList<>();
    for (Dept d : depts) {
      JsonObject entry = base(d.code(), "营业执照信息");
      items(entry).getJsonObject(0).put("dataElement", element).put("authoritative", true);
      calls.add(CompletableFuture.supplyAsync(() -> http.post(RESOURCES, entry).as(d.provider()).send()));
    }
    List<Integer> statuses = calls.stream().map(c -> c.join().status()).sorted().toList();
    assertThat(statuses).containsExactly(201, 409, 409, 409);
  }

  @Test
  void search_findsChineseWordsInsideNamesSummariesAndItems() {
    Dept d = dept("SRCH");
    Dept other = dept("SRCHO");
    String a = create(d, base(d.code(), "综合人口信息")).getString("code");
    JsonObject health = thematic(d.code(), "居民电子健康档案").put("summary", "记录居民诊疗与疫苗接种情况");
    items(health).add(item("vaccine", "疫苗批号", "C", 30));
    String b = create(d, health).getString("code");
    String c = create(d, departmental(d.code(), "建设工程规划许可")).getString("code");

    assertThat(codes("q=人口&provider=" + d.code(), d)).containsExactly(a);
    assertThat(codes("q=口&provider=" + d.code(), d)).containsExactly(a);
    assertThat(codes("q=合人口信&provider=" + d.code(), d)).containsExactly(a);
    assertThat(codes("q=人信&provider=" + d.code(), d)).isEmpty();
    assertThat(codes("q=_&provider=" + d.code(), d)).isEmpty();
    assertThat(codes("q=健康&provider=" + d.code(), d)).containsExactly(b);
    assertThat(codes("q=疫苗接种&provider=" + d.code(), d)).containsExactly(b);
    assertThat(codes("q=批号&provider=" + d.code(), d)).containsExactly(b);
    assertThat(codes("q=规划&provider=" + d.code(), d)).containsExactly(c);
    assertThat(codes("q=信息%20户籍&provider=" + d.code(), d)).containsExactly(a);
    assertThat(codes("q=出生日期&provider=" + d.code(), d)).containsExactly(a, b, c);

    assertThat(codes("provider=" + d.code() + "&category=THEMATIC", d)).containsExactly(b);
    assertThat(codes("provider=" + d.code() + "&subject=POPULATION", d)).containsExactly(a);
    assertThat(codes("provider=" + d.code() + "&shareType=CONDITIONAL", d)).containsExactly(b, c);
    assertThat(codes("provider=" + d.code() + "&updatePeriod=MONTHLY", d)).containsExactly(c);
    assertThat(codes("provider=" + d.code() + "&status=DRAFT", d)).containsExactly(a, b, c);

    assertThat(codes("q=人口&provider=" + d.code(), other)).isEmpty();
    publish(d, a);
    assertThat(codes("q=人口&provider=" + d.code(), other)).containsExactly(a);
    http.post(path(a) + "/retire").as(d.provider()).expect(200);
    assertThat(codes("q=人口&provider=" + d.code(), other)).isEmpty();
    assertThat(codes("q=人口&provider=" + d.code() + "&status=RETIRED", other)).containsExactly(a);
    assertThat(http.get(url(RESOURCES + "?q=人口&provider=" + d.code() + "&status=RETIRED&plan=scan")).as(server.adminToken())
        .expect(200).items()).hasSize(1);
    http.get(url(RESOURCES + "?q=人口&plan=scan")).as(other.provider()).expectProblem(403, "FORBIDDEN");
  }

  @Test
  void search_takesAnyTextAsItIsNeverAsJson() {
    Dept d = dept("TEXT");
    String a = create(d, base(d.code(), "引号资源").put("summary", "字段 a\"b 与路径 C:\\data 及 50% 的 C++ 记录")).getString("code");
    String scope = "&provider=" + d.code();

    assertThat(codes("q=a%22b" + scope, d)).containsExactly(a);
    assertThat(codes("q=%5C" + scope, d)).containsExactly(a);
    assertThat(codes("q=%22" + scope, d)).containsExactly(a);
    assertThat(codes("q=50%25" + scope, d)).containsExactly(a);
    assertThat(codes("q=C%2B%2B" + scope, d)).containsExactly(a);
    // values a JSON decoder would turn into a number, a boolean, null or an array are still text
    assertThat(codes("q=12.5" + scope, d)).isEmpty();
    assertThat(codes("q=true" + scope, d)).isEmpty();
    assertThat(codes("q=null" + scope, d)).isEmpty();
    assertThat(codes("q=%5B1%5D" + scope, d)).isEmpty();
    JsonObject tooLong = http.get(RESOURCES + "?q=" + "x".repeat(101)).as(d.provider()).expectProblem(400, "VALIDATION_FAILED").json();
    assertThat(tooLong.getJsonArray("errors").getJsonObject(0).getString("field")).isEqualTo("q");
    http.get(RESOURCES + "?limit=abc").as(d.provider()).expectProblem(400, "VALIDATION_FAILED");
  }

  @Test
  void search_pagesThroughMoreEntriesThanOnePageHolds() {
    Dept d = dept("PAGE");
    Set<String> created = new HashSet<>();
    for (int i = 0; i < 13; i++) {
      created.add(create(d, departmental(d.code(), "分页测试资源" + i)).getString("code"));
    }
    List<String> seen = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      JsonObject page = http.get(url(RESOURCES + "?q=分页&limit=5&provider=" + d.code() + (cursor == null ? "" : "&cursor=" + cursor)))
          .as(d.provider()).expect(200).json();
      page.getJsonArray("items").forEach(o -> seen.add(((JsonObject) o).getString("code")));
      assertThat(page.getJsonArray("items").getJsonObject(0).getInteger("itemCount")).isEqualTo(3);
      cursor = page.getString("nextCursor");
      pages++;
    } while (cursor != null);
    assertThat(pages).isEqualTo(3);
    assertThat(seen).hasSize(13).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(created);
    assertThat(seen).isSorted();
    http.get(RESOURCES + "?cursor=bm90LWEtY3Vyc29y").as(d.provider()).expectProblem(400, "VALIDATION_FAILED");
  }

  @Test
  void export_isTheDepartmentsCatalogueAsCsvWithChineseHeaders() {
    Dept d = dept("CSV");
    JsonObject first = base(d.code(), "综合人口信息").put("summary", "含逗号,和\"引号\"的摘要");
    String a = create(d, first).getString("code");
    JsonObject second = departmental(d.code(), "行政许可办件信息").put("relatedResources", new JsonArray().add(a));
    items(second).getJsonObject(2).put("shareType", "NOT_SHARED").put("notSharedBasis", "《个人信息保护法》");
    String b = create(d, second).getString("code");
    create(d, departmental(d.code(), "未发布的草稿"));
    publish(d, a);
    publish(d, b);

    Http.Reply reply = http.get(RESOURCES + "?provider=" + d.code()).header("Accept", "text/csv").as(d.provider()).expect(200);
    assertThat(reply.header("Content-Type")).startsWith("text/csv");
    assertThat(reply.header("Content-Disposition")).startsWith("attachment;").contains(".csv");
    assertThat(reply.body()).startsWith("\uFEFF");
    List<List<String>> rows = CsvReader.parse(reply.body().substring(1));
    assertThat(rows.get(0)).containsExactly("信息资源分类", "信息资源名称", "信息资源代码", "信息资源提供方", "信息资源摘要", "信息资源格式",
        "信息项名称", "数据类型", "数据长度", "共享类型", "共享条件", "共享方式", "是否向社会开放", "开放条件", "更新周期", "发布日期", "关联资源代码");
    assertThat(rows).hasSize(1 + 6);
    List<String> row = rows.get(1);
    assertThat(row.get(0)).isEqualTo("基础信息资源/人口");
    assertThat(row.get(2)).isEqualTo(a);
    assertThat(row.get(4)).isEqualTo("含逗号,和\"引号\"的摘要");
    assertThat(row.get(6)).isEqualTo("公民身份号码");
    assertThat(row.get(7)).isEqualTo("C");
    assertThat(row.get(8)).isEqualTo("18");
    assertThat(row.get(9)).isEqualTo("无条件共享");
    List<String> withheld = rows.get(6);
    assertThat(withheld.get(2)).isEqualTo(b);
    assertThat(withheld.get(9)).isEqualTo("不予共享");
    assertThat(withheld.get(10)).isEqualTo("《个人信息保护法》");
    assertThat(withheld.get(16)).isEqualTo(a);

    http.get(RESOURCES).header("Accept", "text/csv").as(d.provider()).expectProblem(400, "VALIDATION_FAILED");
  }
}
