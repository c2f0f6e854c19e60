package org.govshare.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.govshare.access.DataWorld.creditCode;
import static org.govshare.access.DataWorld.enc;
import static org.govshare.access.DataWorld.id;
import static org.govshare.access.DataWorld.person;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.govshare.access.DataWorld.Party;
import org.govshare.testing.CatalogEntries;
import org.govshare.testing.Http;
import org.govshare.testing.TestServer;
import org.junit.jupiter.api.Test;

/** The data plane over real HTTP: ingestion by the provider, reads scoped by access, masking, verification, audit. */
class DataPlaneIT {
  private final DataWorld w = new DataWorld(TestServer.shared());
  private final Http http = w.http;

  @Test
  void ingest_commitsGoodLinesAndNamesEachBadOne() {
    Party provider = w.party("GA", "PROVIDER");
    String code = w.personResource(provider, "PUBLISHED");
    String a = id("410727", "19900307", "123");
    String b = id("110105", "19491231", "002");
    String broken = a.substring(0, 17) + (a.charAt(17) == '1' ? '2' : '1');
    JsonObject result = w.upload(code,
        person(a, "张三", 3200, "河南省新乡市"),
        person(broken, "李四", 100, "x"),
        "{\"id_number\":\"" + id("410727", "19900230", "123").substring(0, 17) + "1\"}",
        "{\"id_number\":\"" + b + "\",\"shoe_size\":42}",
        "{\"id_number\":\"" + b + "\",\"income\":\"很多\"}",
        "{not json",
        "",
        "{\"id_number\":\"" + b.toLowerCase() + "\",\"name\":\"王五\",\"income\":1200}",
        "{\"name\":\"无名\"}",
        "{\"id_number\":\"" + b + "\",\"name\":\"" + "长".repeat(70_000) + "\"}",
        "{\"id_number\":\"" + b + "\",\"name\":\"a\\u0000b\"}")
        .as(provider.token()).expect(200).json();
    assertThat(result.getLong("accepted")).isEqualTo(2);
    assertThat(result.getLong("rejected")).isEqualTo(8);
    JsonArray errors = result.getJsonArray("errors");
    assertThat(errors.stream().map(e -> ((JsonObject) e).getLong("line") + ":" + ((JsonObject) e).getString("field")))
        .containsExactly("2:id_number", "3:id_number", "4:shoe_size", "5:income", "6:null", "9:id_number", "10:null", "11:name");
    assertThat(errors.getJsonObject(0).getString("message")).contains("check character");
    assertThat(errors.getJsonObject(1).getString("message")).contains("birth date");
    assertThat(errors.getJsonObject(6).getString("message")).contains("bytes");
    assertThat(result.getLong("lastSeq") - result.getLong("firstSeq")).isEqualTo(1);

    JsonObject again = w.upload(code, person(a, "张三", 3300, "河南省新乡市")).as(provider.token()).expect(200).json();
    assertThat(again.getLong("firstSeq")).isEqualTo(result.getLong("lastSeq") + 1);
    List<JsonObject> batches = w.audit(code, "DATA_INGEST");
    assertThat(batches).hasSize(2);
    assertThat(batches.stream().map(r -> r.getJsonObject("detail").getInteger("rows"))).containsExactlyInAnyOrder(2, 1);
  }

  @Test
  void ingest_writesLargeUploadsInBatches_withContiguousSeqsAndOneAuditRecordEach() {
    Party provider = w.party("GA", "PROVIDER");
    String code = w.personResource(provider, "PUBLISHED");
    List<String> lines = new ArrayList<>();
    java.time.LocalDate day = java.time.LocalDate.of(1950, 1, 1);
    for (int i = 0; i < 2500; i++) {
      lines.add(person(id("410727", day.plusDays(i).toString().replace("-", ""), "123"), "居民" + i, i, "地址"));
    }
    lines.add(lines.get(10).replace("居民10", "居民十")); // the same key again: a later change of the same record
    JsonObject result = w.upload(code, lines.toArray(String[]::new)).as(provider.token()).expect(200).json();
    assertThat(result.getLong("accepted")).isEqualTo(2501);
    assertThat(result.getLong("lastSeq") - result.getLong("firstSeq")).isEqualTo(2500);
    String tenth = id("410727", day.plusDays(10).toString().replace("-", ""), "123");
    JsonObject record = w.read(code, tenth).as(provider.token()).expect(200).json();
    assertThat(record.getJsonObject("record").getString("name")).isEqualTo("居民十");
    assertThat(record.getInteger("version")).isEqualTo(2);
    List<JsonObject> batches = w.audit(code, "DATA_INGEST");
    assertThat(batches.stream().mapToInt(r -> r.getJsonObject("detail").getInteger("rows")).sum()).isEqualTo(2501);
    assertThat(batches).hasSizeGreaterThanOrEqualTo(3).allSatisfy(r -> assertThat(r.getJsonObject("detail").getInteger("rows")).isLessThanOrEqualTo(1000));
  }

  @Test
  void ingest_refusesWhoIsNotTheProviderAndWhatIsNotHostedAndPublished() {
    Party provider = w.party("GA", "PROVIDER");
    Party consumerClient = w.client(provider.department(), "CONSUMER");
    Party other = w.party("MZ", "PROVIDER");
    String code = w.personResource(provider, "PUBLISHED");
    String line = person(id("410727", "19900307", "123"), "张三", 1, "x");
    w.upload(code, line).as(other.token()).expectProblem(403, "FORBIDDEN");
    w.upload(code, line).as(consumerClient.token()).expectProblem(403, "FORBIDDEN");
    w.upload(w.personResource(provider, "DRAFT"), line).as(provider.token()).expectProblem(409, "CONFLICT");
    w.upload(w.personResource(provider, "RETIRED"), line).as(provider.token()).expectProblem(409, "CONFLICT");
    w.upload("999999/999999", line).as(provider.token()).expectProblem(404, "NOT_FOUND");
    http.send("POST", "/api/v1/resources/" + enc(code) + "/records", line, "application/json").as(provider.token())
        .expectProblem(415, "UNSUPPORTED_MEDIA_TYPE");
    w.upload(code, line).expect(401);
    assertThat(w.audit(code, "DATA_INGEST")).extracting(r -> r.getString("outcome")).containsOnly("DENIED");
  }

  @Test
  void read_servesOnlyWhatTheCallerMayRead() {
    Party provider = w.party("GA", "PROVIDER");
    Party narrow = w.party("MZ", "CONSUMER");
    Party none = w.party("JY", "CONSUMER");
    String code = w.personResource(provider, "PUBLISHED");
    String a = id("410727", "19900307", "123");
    w.upload(code, person(a, "张三", 3200, "河南省新乡市")).as(provider.token()).expect(200);

    w.read(code, a).as(none.token()).expectProblem(403, "FORBIDDEN");
    w.read(code, id("410727", "19800101", "555")).as(none.token()).expectProblem(403, "FORBIDDEN");

    String grant = w.grant(provider, narrow, code, "id_number", "income");
    JsonObject got = w.read(code, a).as(narrow.token()).expect(200).json();
    assertThat(got.getJsonObject("record").fieldNames()).containsExactlyInAnyOrder("id_number", "income");
    assertThat(got.getJsonObject("record").getString("id_number")).isEqualTo("410727********" + a.substring(14));
    assertThat(got.getJsonArray("masked")).containsExactly("id_number");
    assertThat(got.getJsonArray("underVerification")).isEmpty();
    assertThat(got.getInteger("version")).isEqualTo(1);
    assertThat(got.getString("resource")).isEqualTo(code);
    w.read(code, id("410727", "19800101", "555")).as(narrow.token()).expectProblem(404, "NOT_FOUND");

    JsonObject own = w.read(code, a).as(provider.token()).expect(200).json();
    assertThat(own.getJsonObject("record").fieldNames()).containsExactlyInAnyOrder("id_number", "name", "birth_date", "income");
    assertThat(own.getJsonObject("record").getString("id_number")).isEqualTo(a);
    assertThat(own.getJsonArray("masked")).isEmpty();

    w.upload(code, person(a, "张三", 4100, "河南省新乡市")).as(provider.token()).expect(200);
    JsonObject updated = w.read(code, a).as(narrow.token()).expect(200).json();
    assertThat(updated.getJsonObject("record").getInteger("income")).isEqualTo(4100);
    assertThat(updated.getInteger("version")).isEqualTo(2);

    http.post("/api/v1/grants/" + grant + "/revoke", new JsonObject().put("reason", "核验任务已经完成，不再需要继续使用该数据")).as(provider.token()).expect(200);
    w.read(code, a).as(narrow.token()).expectProblem(403, "FORBIDDEN");

    List<JsonObject> reads = w.audit(code, "DATA_READ");
    assertThat(reads).extracting(r -> r.getString("outcome")).contains("OK", "DENIED");
    JsonObject served = reads.stream().filter(r -> "OK".equals(r.getString("outcome")) && narrow.department().equals(r.getString("department")))
        .findFirst().orElseThrow();
    assertThat(served.getString("subject")).isEqualTo(a);
    assertThat(served.getJsonObject("detail").getJsonArray("grants")).containsExactly(grant);
    assertThat(served.getJsonObject("detail").getJsonArray("items")).containsExactlyInAnyOrder("id_number", "income");
    assertThat(served.getJsonObject("detail").getValue("latencyMs")).isInstanceOf(Number.class);
    assertThat(reads.stream().filter(r -> "DENIED".equals(r.getString("outcome")))).allSatisfy(r -> assertThat(r.getString("resource")).isEqualTo(code));
  }

  @Test
  void read_unconditionalItemsForEveryDepartment_sensitiveMasked_retirementRefuses() {
    Party provider = w.party("SC", "PROVIDER");
    Party anyone = w.party("ZJ", "CONSUMER");
    String code = w.companyResource(provider);
    String cc = creditCode("91330106MA2CFUB8");
    JsonObject result = w.upload(code,
        new JsonObject().put("credit_code", cc).put("name", "杭州示例科技有限公司").put("capital", 1000000.5).put("founded", "2016-04-01")
            .put("active", true).put("legal_rep_phone", "13812345678").encode(),
        new JsonObject().put("credit_code", cc.substring(0, 17) + (cc.charAt(17) == '0' ? '1' : '0')).put("name", "错码公司").encode(),
        new JsonObject().put("credit_code", creditCode("91330106MA2CFUB9")).put("founded", "2016-13-01").encode(),
        new JsonObject().put("credit_code", creditCode("91330106MA2CFUC1")).put("active", "yes").encode())
        .as(provider.token()).expect(200).json();
    assertThat(result.getLong("accepted")).isEqualTo(1);
    assertThat(result.getLong("rejected")).isEqualTo(3);

    JsonObject got = w.read(code, cc).as(anyone.token()).expect(200).json();
    assertThat(got.getJsonObject("record").getString("legal_rep_phone")).isEqualTo("138****5678");
    assertThat(got.getJsonObject("record").getBoolean("active")).isTrue();
    assertThat(w.read(code, cc).as(provider.token()).expect(200).json().getJsonObject("record").getString("legal_rep_phone"))
        .isEqualTo("13812345678");

    http.post(CatalogEntries.path(code) + "/retire").as(provider.token()).expect(200);
    w.read(code, cc).as(anyone.token()).expectProblem(403, "FORBIDDEN");
  }

  @Test
  void lookup_answersFoundAndMissingKeys_inOneAuditRecord() {
    Party provider = w.party("SC", "PROVIDER");
    Party anyone = w.party("ZJ", "CONSUMER");
    String code = w.companyResource(provider);
    String one = creditCode("91330106MA2CFUD1");
    String two = creditCode("91330106MA2CFUD2");
    String absent = creditCode("91330106MA2CFUD3");
    w.upload(code, new JsonObject().put("credit_code", one).put("name", "一").encode(),
        new JsonObject().put("credit_code", two).put("name", "二").encode()).as(provider.token()).expect(200);
    JsonObject reply = w.lookup(code, one, absent, two).as(anyone.token()).expect(200).json();
    assertThat(reply.getJsonArray("records").stream().map(r -> ((JsonObject) r).getString("key"))).containsExactlyInAnyOrder(one, two);
    assertThat(reply.getJsonArray("missing")).containsExactly(absent);
    w.lookup(code).as(anyone.token()).expectProblem(400, "VALIDATION_FAILED");

    List<JsonObject> records = w.audit(code, "DATA_LOOKUP");
    assertThat(records).hasSize(2); // the served lookup and the refused one
    JsonObject served = records.stream().filter(r -> "OK".equals(r.getString("outcome"))).findFirst().orElseThrow();
    assertThat(served.getJsonObject("detail").getJsonArray("keys")).containsExactly(one, absent, two);
    assertThat(served.getJsonObject("detail").getInteger("found")).isEqualTo(2);
  }

  @Test
  void verify_answersMatchesWithoutDisclosingValues() {
    Party provider = w.party("GA", "PROVIDER");
    Party consumer = w.party("MZ", "CONSUMER");
    String code = w.personResource(provider, "PUBLISHED");
    String b = id("110105", "19491231", "002");
    w.upload(code, person(b, "王五", 1200, "北京市")).as(provider.token()).expect(200);
    w.grant(provider, consumer, code, "id_number", "income");

    JsonObject reply = w.verify(code, b.toLowerCase(), new JsonObject().put("income", "1200.00").put("id_number", b.toLowerCase()))
        .as(consumer.token()).expect(200).json();
    assertThat(reply.getBoolean("found")).isTrue();
    assertThat(reply.getJsonObject("matches").getMap()).containsEntry("income", true).containsEntry("id_number", true);
    assertThat(reply.encode()).doesNotContain("北京").doesNotContain("王五");
    assertThat(w.verify(code, b, new JsonObject().put("income", 1300)).as(consumer.token()).expect(200).json()
        .getJsonObject("matches").getBoolean("income")).isFalse();
    JsonObject missing = w.verify(code, id("410727", "19800101", "555"), new JsonObject().put("income", 1)).as(consumer.token()).expect(200).json();
    assertThat(missing.getBoolean("found")).isFalse();

    w.verify(code, b, new JsonObject().put("name", "王五")).as(consumer.token()).expectProblem(403, "FORBIDDEN");
    w.verify(code, b, new JsonObject().put("address", "北京市")).as(consumer.token()).expectProblem(403, "FORBIDDEN");
    w.verify(code, b, new JsonObject().put("shoe_size", 42)).as(consumer.token()).expectProblem(422, "VALIDATION_FAILED");
    assertThat(w.audit(code, "DATA_VERIFY")).hasSize(6);
  }

  @Test
  void delete_removesTheRecord_thenAnswers404() {
    Party provider = w.party("GA", "PROVIDER");
    Party other = w.party("MZ", "PROVIDER");
    String code = w.personResource(provider, "PUBLISHED");
    String a = id("410727", "19900307", "123");
    JsonObject up = w.upload(code, person(a, "张三", 1, "x")).as(provider.token()).expect(200).json();
    String path = "/api/v1/resources/" + enc(code) + "/records/" + a;
    http.delete(path).as(other.token()).expectProblem(403, "FORBIDDEN");
    http.delete(path).as(provider.token()).expect(204);
    w.read(code, a).as(provider.token()).expectProblem(404, "NOT_FOUND");
    http.delete(path).as(provider.token()).expectProblem(404, "NOT_FOUND");
    List<JsonObject> deletes = w.audit(code, "DATA_DELETE");
    assertThat(deletes.stream().filter(r -> "OK".equals(r.getString("outcome"))).findFirst().orElseThrow()
        .getJsonObject("detail").getLong("seq")).isEqualTo(up.getLong("lastSeq") + 1);
  }
}
