package org.govshare.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.govshare.access.DataWorld.creditCode;
import static org.govshare.access.DataWorld.enc;
import static org.govshare.access.DataWorld.id;
import static org.govshare.access.DataWorld.person;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.govshare.access.DataWorld.Party;
import org.govshare.testing.TestServer;
import org.junit.jupiter.api.Test;

/** The record cache of a standalone instance: hits counted, every write seen at once, the same answers as without it. */
class RecordCacheIT {
  private final DataWorld w = new DataWorld(TestServer.shared());

  @Test
  void repeatedReads_areAnsweredFromTheCache() {
    Party provider = w.party("GA", "PROVIDER");
    String code = w.personResource(provider, "PUBLISHED");
    String a = id("410727", "19900307", "123");
    w.upload(code, person(a, "张三", 3200, "x")).as(provider.token()).expect(200);
    double hits = cacheRequests(w.server, "hit");
    double misses = cacheRequests(w.server, "miss");
    for (int i = 0; i < 5; i++) {
      w.read(code, a).as(provider.token()).expect(200);
    }
    assertThat(cacheRequests(w.server, "miss") - misses).isEqualTo(1);
    assertThat(cacheRequests(w.server, "hit") - hits).isEqualTo(4);
  }

  @Test
  void update_insert_delete_areSeenByTheNextRead() {
    Party provider = w.party("GA", "PROVIDER");
    String code = w.personResource(provider, "PUBLISHED");
    String a = id("410727", "19900307", "123");
    String later = id("110105", "19491231", "002");
    w.upload(code, person(a, "张三", 1, "x")).as(provider.token()).expect(200);
    for (int i = 2; i <= 6; i++) {
      w.read(code, a).as(provider.token()).expect(200);
      w.upload(code, person(a, "张三", i, "x")).as(provider.token()).expect(200);
      JsonObject got = w.read(code, a).as(provider.token()).expect(200).json();
      assertThat(got.getInteger("version")).isEqualTo(i);
      assertThat(got.getJsonObject("record").getInteger("income")).isEqualTo(i);
    }
    // an unknown key is cached as unknown; an insert drops that like an update
    w.read(code, later).as(provider.token()).expectProblem(404, "NOT_FOUND");
    w.read(code, later).as(provider.token()).expectProblem(404, "NOT_FOUND");
    w.upload(code, person(later, "王五", 7, "y")).as(provider.token()).expect(200);
    assertThat(w.lookup(code, later, a).as(provider.token()).expect(200).json().getJsonArray("missing")).isEmpty();

    w.http.delete("/api/v1/resources/" + enc(code) + "/records/" + a).as(provider.token()).expect(204);
    w.read(code, a).as(provider.token()).expectProblem(404, "NOT_FOUND");
    assertThat(w.verify(code, a, new JsonObject().put("income", 6)).as(provider.token()).expect(200).json().getBoolean("found")).isFalse();
  }

  @Test
  void cacheOff_answersTheSame_scopingAndMaskingUnchanged() {
    List<String> on = scenario(w);
    List<String> off;
    try (TestServer uncached = TestServer.start(Map.of("data.cache.enabled", "false"))) {
      off = scenario(new DataWorld(uncached));
      assertThat(uncached.http().get("/health/ready").send().json().getJsonObject("checks").containsKey("recordCache")).isFalse();
    }
    assertThat(off).hasSize(12).isEqualTo(on);
  }

  @Test
  void unclusteredInstanceOnTheSameDatabase_seesAWriteWithinItsPollPeriod() {
    Party provider = w.party("GA", "PROVIDER");
    String code = w.personResource(provider, "PUBLISHED");
    String a = id("410727", "19900307", "123");
    String unknown = id("110105", "19491231", "002");
    w.upload(code, person(a, "张三", 1, "x")).as(provider.token()).expect(200);
    try (TestServer second = w.server.secondInstance(Map.of("data.cache.poll-ms", "200"))) {
      DataWorld w2 = new DataWorld(second);
      assertThat(w2.read(code, a).as(provider.token()).expect(200).json().getInteger("version")).isEqualTo(1);
      w2.read(code, unknown).as(provider.token()).expectProblem(404, "NOT_FOUND");
      w.upload(code, person(a, "张三", 2, "x"), person(unknown, "王五", 2, "y")).as(provider.token()).expect(200);
      // the bound of ADR 0009 for instances without a cluster: one poll period plus a query
      within(Duration.ofSeconds(3), () -> {
        assertThat(w2.read(code, a).as(provider.token()).expect(200).json().getInteger("version")).isEqualTo(2);
        w2.read(code, unknown).as(provider.token()).expect(200);
      });
      second.http().delete("/api/v1/resources/" + enc(code) + "/records/" + a).as(provider.token()).expect(204);
      within(Duration.ofSeconds(3), () -> w.read(code, a).as(provider.token()).expectProblem(404, "NOT_FOUND"));
    }
  }

  /** The same reads by a provider, a narrow grant holder, an outsider and any department, with every volatile part taken out. */
  private static List<String> scenario(DataWorld w) {
    List<String> out = new ArrayList<>();
    Party provider = w.party("GA", "PROVIDER");
    Party narrow = w.party("MZ", "CONSUMER");
    Party none = w.party("JY", "CONSUMER");
    String code = w.personResource(provider, "PUBLISHED");
    String a = id("410727", "19900307", "123");
    String b = id("110105", "19491231", "002");
    w.upload(code, person(a, "张三", 3200, "河南省新乡市"), person(b, "王五", 1200, "北京市")).as(provider.token()).expect(200);
    w.grant(provider, narrow, code, "id_number", "income");
    for (int round = 0; round < 2; round++) {
      out.add(stable(w.read(code, a).as(narrow.token()).expect(200).json()));
    }
    out.add(stable(w.read(code, a).as(provider.token()).expect(200).json()));
    out.add(String.valueOf(w.read(code, a).as(none.token()).send().status()));
    out.add(stable(w.lookup(code, a, id("410727", "19800101", "555"), b).as(narrow.token()).expect(200).json()));
    out.add(w.verify(code, b, new JsonObject().put("income", 1200)).as(narrow.token()).expect(200).json().encode());
    w.upload(code, person(a, "张三", 3300, "河南省新乡市")).as(provider.token()).expect(200);
    out.add(stable(w.read(code, a).as(narrow.token()).expect(200).json()));
    w.http.delete("/api/v1/resources/" + enc(code) + "/records/" + b).as(provider.token()).expect(204);
    out.add(String.valueOf(w.read(code, b).as(narrow.token()).send().status()));
    out.add(w.verify(code, b, new JsonObject().put("income", 1200)).as(narrow.token()).expect(200).json().encode());

    Party anyone = w.party("ZJ", "CONSUMER");
    String company = w.companyResource(provider);
    String cc = creditCode("91330106MA2CFUB8");
    w.upload(company, new JsonObject().put("credit_code", cc).put("name", "杭州示例科技有限公司").put("capital", 1000000.5)
        .put("founded", "2016-04-01").put("active", true).put("legal_rep_phone", "13812345678").encode()).as(provider.token()).expect(200);
    out.add(stable(w.read(company, cc).as(anyone.token()).expect(200).json()));
    out.add(stable(w.read(company, cc).as(anyone.token()).expect(200).json()));
    out.add(stable(w.read(company, cc).as(provider.token()).expect(200).json()));
    return out;
  }

  private static String stable(JsonObject reply) {
    JsonObject copy = reply.copy();
    copy.remove("updatedAt");
    copy.remove("resource");
    if (copy.containsKey("records")) {
      // the order of a lookup's records is not part of the contract
      List<JsonObject> records = new ArrayList<>();
      copy.getJsonArray("records").forEach(r -> records.add(((JsonObject) r)));
      records.forEach(r -> r.remove("updatedAt"));
      records.sort(java.util.Comparator.comparing(r -> r.getString("key")));
      copy.put("records", new io.vertx.core.json.JsonArray(new ArrayList<>(records)));
    }
    return copy.encode();
  }

  private static void within(Duration limit, Runnable check) {
    long end = System.nanoTime() + limit.toNanos();
    while (true) {
      try {
        check.run();
        return;
      } catch (AssertionError e) {
        if (System.nanoTime() > end) {
          throw e;
        }
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  /** The record cache's counter of keys by result, as an operator scrapes it. */
  static double cacheRequests(TestServer server, String result) {
    String prefix = "govshare_record_cache_requests_total{result=\"" + result + "\"";
    return server.http().get("/metrics").expect(200).body().lines().filter(l -> l.startsWith(prefix))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
  }
}
