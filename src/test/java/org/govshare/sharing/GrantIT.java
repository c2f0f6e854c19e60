package org.govshare.sharing;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.Map;
import org.govshare.sharing.SharingWorld.Party;
import org.govshare.testing.Http;
import org.govshare.testing.TestServer;
import org.junit.jupiter.api.Test;

/** Grants end by revocation, expiry, retirement of the resource or removal of items; the grant check follows at once. */
class GrantIT {
  private final SharingWorld world = new SharingWorld();
  private final Http http = world.http;

  private String grantFor(Party provider, Party consumer, String code, String... items) {
    String app = world.apply(consumer, code, items).getString("id");
    return world.approve(provider, app).getString("grant");
  }

  @Test
  void revocation_byTheProvider_takesEffectAtOnce() {
    Party provider = world.party("YJGL", "PROVIDER");
    Party consumer = world.party("XFJ", "CONSUMER");
    String code = world.resource(provider, "CONDITIONAL", "site=UNCONDITIONAL", "hazard=CONDITIONAL");
    String grant = grantFor(provider, consumer, code, "hazard");
    assertThat(world.check(consumer, code).getJsonArray("items").getList()).containsExactly("hazard", "site");

    String revoke = "/api/v1/grants/" + grant + "/revoke";
    http.post(revoke, new JsonObject().put("reason", "滥用")).as(provider.token()).expectProblem(422, "VALIDATION_FAILED");
    http.post(revoke, new JsonObject().put("reason", "消费部门超出申请用途使用数据")).as(consumer.token()).expectProblem(403, "FORBIDDEN");
    http.post(revoke, new JsonObject().put("reason", "消费部门超出申请用途使用数据")).as(world.party("ELSE", "PROVIDER").token())
        .expectProblem(403, "FORBIDDEN");
    JsonObject revoked = http.post(revoke, new JsonObject().put("reason", "消费部门超出申请用途使用数据，向第三方提供"))
        .as(provider.token()).expect(200).json();
    assertThat(revoked.getString("status")).isEqualTo("REVOKED");
    assertThat(revoked.getString("endReason")).contains("第三方");
    assertThat(world.check(consumer, code).getJsonArray("items").getList()).containsExactly("site");
    assertThat(world.check(consumer, code).getJsonArray("granted")).isEmpty();
    http.post(revoke, new JsonObject().put("reason", "第二次撤销同一授权应当被拒绝")).as(provider.token()).expectProblem(409, "CONFLICT");
    assertThat(world.kinds(consumer, grant)).containsExactly("GRANT_REVOKED");
    assertThat(http.get("/api/v1/grants?status=REVOKED&role=consumer").as(consumer.token()).expect(200).items()).hasSize(1);
    assertThat(http.get("/api/v1/grants?status=ACTIVE&role=consumer").as(consumer.token()).expect(200).items()).isEmpty();
    assertThat(world.auditActions(world.bureauAuditor(), code)).containsSubsequence("GRANT_ISSUE:OK", "GRANT_REVOKE:DENIED",
        "GRANT_REVOKE:DENIED", "GRANT_REVOKE:DENIED", "GRANT_REVOKE:OK", "GRANT_REVOKE:DENIED");
  }

  @Test
  void revocation_byTheBureau() {
    Party provider = world.party("SFJ", "PROVIDER");
    Party consumer = world.party("MZZJ", "CONSUMER");
    String code = world.resource(provider, "CONDITIONAL", "record=CONDITIONAL");
    String grant = grantFor(provider, consumer, code, "record");
    http.post("/api/v1/grants/" + grant + "/revoke", new JsonObject().put("reason", "大数据局检查发现授权范围超出必要限度"))
        .as(world.admin()).expect(200);
    assertThat(world.check(consumer, code).getJsonArray("items")).isEmpty();
    assertThat(world.kinds(provider, grant)).containsExactly("GRANT_REVOKED");
  }

  @Test
  void retiredResourcesAndRemovedItems_endGrants() {
    Party provider = world.party("ZJJ2", "PROVIDER");
    Party consumer = world.party("CZJ", "CONSUMER");
    String code = world.resource(provider, "CONDITIONAL", "a=CONDITIONAL", "b=CONDITIONAL", "c=CONDITIONAL");
    String wide = grantFor(provider, consumer, code, "a", "b");
    Party second = world.party("SJJ", "CONSUMER");
    String narrow = grantFor(provider, second, code, "b");

    world.dropItems(code, "b");
    JsonObject left = http.get("/api/v1/grants/" + wide).as(consumer.token()).expect(200).json();
    assertThat(left.getString("status")).isEqualTo("ACTIVE");
    assertThat(left.getJsonArray("items").getList()).containsExactly("a");
    JsonObject gone = http.get("/api/v1/grants/" + narrow).as(second.token()).expect(200).json();
    assertThat(gone.getString("status")).isEqualTo("ENDED");
    assertThat(world.check(second, code).getJsonArray("items")).isEmpty();
    assertThat(world.kinds(second, narrow)).containsExactly("GRANT_ENDED");

    world.retire(code);
    assertThat(http.get("/api/v1/grants/" + wide).as(consumer.token()).expect(200).json().getString("status")).isEqualTo("ENDED");
    assertThat(world.check(consumer, code).getJsonArray("items")).isEmpty();
    assertThat(world.auditActions(world.bureauAuditor(), code)).containsSubsequence("GRANT_END:OK", "GRANT_END:OK", "GRANT_END:OK");
  }

  @Test
  void expiry_endsTheGrantOnTheDayAfterValidUntil() {
    Party provider = world.party("GXJ", "PROVIDER");
    Party consumer = world.party("KXJ", "CONSUMER");
    String code = world.resource(provider, "CONDITIONAL", "patent=CONDITIONAL");
    String grant = grantFor(provider, consumer, code, "patent");
    world.sql("UPDATE share_grant SET valid_until = $2 WHERE id = $1", Tuple.of(grant, SharingWorld.today().minusDays(1)));
    // the check already honours the date; the clock job then records the expiry
    world.server.platform().grantCheck().changed(consumer.department(), code);
    assertThat(world.check(consumer, code).getJsonArray("items")).isEmpty();
    SharingWorld.await(world.server.platform().sharingClock().runOnce());
    assertThat(http.get("/api/v1/grants/" + grant).as(consumer.token()).expect(200).json().getString("status")).isEqualTo("EXPIRED");
    assertThat(world.kinds(consumer, grant)).containsExactly("GRANT_EXPIRED");
  }

  @Test
  void grantChanges_reachAnotherInstanceWithinAPollPeriod() throws Exception {
    try (TestServer other = world.server.secondInstance(Map.of("sharing.poll-ms", "200"))) {
      Party provider = world.party("TYJ", "PROVIDER");
      Party consumer = world.party("WHJ", "CONSUMER");
      String code = world.resource(provider, "CONDITIONAL", "venue=CONDITIONAL");
      // the other instance caches "nothing granted" first
      assertThat(SharingWorld.await(other.platform().grantCheck().allowedItems(consumer.department(), code))).isEmpty();
      assertThat(SharingWorld.await(other.platform().grantCheck().allowedItems(consumer.department(), code))).isEmpty();
      String grant = grantFor(provider, consumer, code, "venue");
      assertThat(eventually(other, consumer.department(), code, List.of("venue"))).isTrue();
      http.post("/api/v1/grants/" + grant + "/revoke", new JsonObject().put("reason", "场馆数据共享协议已经到期终止"))
          .as(provider.token()).expect(200);
      assertThat(eventually(other, consumer.department(), code, List.of())).isTrue();
    }
  }

  @Test
  void catalogueChanges_reachTheCheckAtOnceHereAndWithinAPollPeriodElsewhere() throws Exception {
    try (TestServer other = world.server.secondInstance(Map.of("sharing.poll-ms", "200"))) {
      Party provider = world.party("WLJ", "PROVIDER");
      Party consumer = world.party("JTJ", "CONSUMER");
      String code = world.resource(provider, "CONDITIONAL", "route=UNCONDITIONAL", "fare=CONDITIONAL");
      // both instances cache the entry first
      for (int i = 0; i < 2; i++) {
        assertThat(world.check(consumer, code).getJsonArray("items").getList()).containsExactly("route");
        assertThat(SharingWorld.await(other.platform().grantCheck().allowedItems(consumer.department(), code))).containsExactly("route");
      }

      world.shareItem(code, "fare", "UNCONDITIONAL");
      assertThat(world.check(consumer, code).getJsonArray("items").getList()).containsExactly("fare", "route");
      assertThat(eventually(other, consumer.department(), code, List.of("fare", "route"))).isTrue();

      world.retire(code);
      assertThat(world.check(consumer, code).getJsonArray("items")).isEmpty();
      assertThat(eventually(other, consumer.department(), code, List.of())).isTrue();

      String metrics = http.get("/metrics").send().body();
      assertThat(metrics).containsPattern("cache_gets_total\\{cache=\"govshare_catalog_entries\",result=\"hit\"} [1-9]")
          .containsPattern("cache_gets_total\\{cache=\"govshare_catalog_entries\",result=\"miss\"} [1-9]")
          .contains("cache_gets_total{cache=\"govshare_grants\",result=\"hit\"}");
    }
  }

  private static boolean eventually(TestServer server, String department, String code, List<String> expected) throws Exception {
    long deadline = System.currentTimeMillis() + 3_000;
    while (System.currentTimeMillis() < deadline) {
      if (SharingWorld.await(server.platform().grantCheck().allowedItems(department, code)).equals(java.util.Set.copyOf(expected))) {
        return true;
      }
      Thread.sleep(50);
    }
    return false;
  }
}
