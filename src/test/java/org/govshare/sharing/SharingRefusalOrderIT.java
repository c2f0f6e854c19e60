package org.govshare.sharing;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.govshare.sharing.SharingWorld.Party;
import org.govshare.testing.Http;
import org.junit.jupiter.api.Test;

/**
 * Reasons, statements and notes in Chinese are judged by what they say, and who may act is
 * settled before the text: a stranger hears 403 whatever it wrote, a party with the wrong state 409.
 */
class SharingRefusalOrderIT {
  private final SharingWorld world = new SharingWorld();
  private final Http http = world.http;

  private record Decided(Party provider, Party consumer, String code, String application, String grant) {}

  private Decided approved(String prefix) {
    Party provider = world.party(prefix + "P", "PROVIDER");
    Party consumer = world.party(prefix + "C", "CONSUMER");
    String code = world.resource(provider, "CONDITIONAL", "key=CONDITIONAL", "detail=CONDITIONAL");
    String app = world.apply(consumer, code, "detail").getString("id");
    return new Decided(provider, consumer, code, app, world.approve(provider, app).getString("grant"));
  }

  @Test
  void revoke_acceptsAShortConcreteChineseReason_afterWhoAndState() {
    Decided d = approved("ORV");
    String revoke = "/api/v1/grants/" + d.grant() + "/revoke";
    http.post(revoke, new JsonObject().put("reason", "无")).as(d.consumer().token()).expectProblem(403, "FORBIDDEN");
    Http.Reply placeholder = http.post(revoke, new JsonObject().put("reason", "同意")).as(d.provider().token()).expect(422);
    assertThat(placeholder.json().getJsonArray("errors").getJsonObject(0).getString("message")).contains("4 Chinese characters");
    JsonObject revoked = http.post(revoke, new JsonObject().put("reason", "使用部门超范围使用")).as(d.provider().token()).expect(200).json();
    assertThat(revoked.getString("endReason")).isEqualTo("使用部门超范围使用");
    http.post(revoke, new JsonObject().put("reason", "无")).as(d.provider().token()).expectProblem(409, "CONFLICT");
  }

  @Test
  void dispute_byADepartmentThatIsNoParty_is403WhateverItsStatement() {
    Decided d = approved("ODS");
    Party stranger = world.party("ODSX", "CONSUMER");
    for (String statement : new String[] {"无", "", "n/a", "该部门并非申请方但仍想申诉此决定"}) {
      http.post("/api/v1/disputes", new JsonObject().put("application", d.application()).put("statement", statement))
          .as(stranger.token()).expectProblem(403, "FORBIDDEN");
    }
    for (String statement : new String[] {"无", "...", "xxxxxxxxxxxx", "test"}) {
      http.post("/api/v1/disputes", new JsonObject().put("application", d.application()).put("statement", statement))
          .as(d.consumer().token()).expect(422);
    }
    String dispute = http.post("/api/v1/disputes", new JsonObject().put("application", d.application()).put("statement", "需要全部数据项"))
        .as(d.consumer().token()).expect(201).json().getString("id");
    String resolve = "/api/v1/disputes/" + dispute + "/resolution";
    http.post(resolve, new JsonObject().put("outcome", "UPHELD").put("note", "无")).as(d.provider().token())
        .expectProblem(403, "FORBIDDEN");
    http.post(resolve, new JsonObject().put("outcome", "UPHELD").put("note", "同上")).as(world.admin()).expect(422);
    http.post(resolve, new JsonObject().put("outcome", "UPHELD").put("note", "维持原决定")).as(world.admin()).expect(200);
    http.post(resolve, new JsonObject().put("outcome", "UPHELD").put("note", "无")).as(world.admin()).expectProblem(409, "CONFLICT");
  }

  @Test
  void decisionAndWithdrawal_checkWhoBeforeTheReason() {
    Party provider = world.party("ODCP", "PROVIDER");
    Party consumer = world.party("ODCC", "CONSUMER");
    String code = world.resource(provider, "CONDITIONAL", "key=CONDITIONAL");
    String app = world.apply(consumer, code, "key").getString("id");
    String decide = "/api/v1/applications/" + app + "/decision";
    http.post(decide, new JsonObject().put("decision", "REJECT").put("reason", "无")).as(consumer.token()).expectProblem(403, "FORBIDDEN");
    http.post(decide, new JsonObject().put("decision", "REJECT").put("reason", "同意")).as(provider.token()).expect(422);
    http.post("/api/v1/applications/" + app + "/withdraw").as(world.party("ODCX", "CONSUMER").token()).expectProblem(403, "FORBIDDEN");
    JsonObject rejected = http.post(decide, new JsonObject().put("decision", "REJECT").put("reason", "申请用途超出范围"))
        .as(provider.token()).expect(200).json();
    assertThat(rejected.getJsonObject("decision").getString("reason")).isEqualTo("申请用途超出范围");
    http.post(decide, new JsonObject().put("decision", "REJECT").put("reason", "无")).as(provider.token()).expectProblem(409, "CONFLICT");
  }
}
