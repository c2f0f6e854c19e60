package org.govshare.sharing;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.util.List;
import org.govshare.sharing.SharingWorld.Party;
import org.govshare.testing.Http;
import org.junit.jupiter.api.Test;

/** The whole conditional-sharing story between two departments, read back as each side and the bureau see it. */
class SharingFlowIT {
  private final SharingWorld world = new SharingWorld();
  private final Http http = world.http;

  @Test
  void applyDecideDisputeResolve_betweenTwoDepartments() {
    Party provider = world.party("MZJ", "PROVIDER");
    Party consumer = world.party("RSJ", "CONSUMER");
    Party bureau = new Party("BUREAU", "admin", world.admin());
    Party auditor = world.bureauAuditor();
    String code = world.resource(provider, "CONDITIONAL", "name=UNCONDITIONAL", "id_number=CONDITIONAL", "income=CONDITIONAL");

    assertThat(world.check(consumer, code).getJsonArray("items").getList()).containsExactly("name");
    assertThat(world.kinds(bureau, code)).as("the catalogue files the entry with the bureau").contains("CATALOG_FILED");

    // apply: an unconditional item in the request is set apart, not applied for
    JsonObject applied = http.post("/api/v1/applications", SharingWorld.application(code, "name", "id_number", "income")
        .put("validUntil", SharingWorld.today().plusYears(1).toString())).as(consumer.token()).expect(201).json();
    String app = applied.getString("id");
    assertThat(applied.getString("status")).isEqualTo("PENDING");
    assertThat(applied.getJsonArray("items").getList()).containsExactly("id_number", "income");
    assertThat(applied.getJsonArray("readableDirectly").getList()).containsExactly("name");
    assertThat(applied.getString("consumer")).isEqualTo(consumer.department());
    assertThat(applied.getString("provider")).isEqualTo(provider.department());
    assertThat(applied.getBoolean("overdue")).isFalse();
    String expectedDue = http.get("/api/v1/calendar/deadline?from=" + SharingWorld.today() + "&workingDays=5").as(consumer.token())
        .expect(200).json().getString("deadline");
    assertThat(applied.getString("decisionDue")).isEqualTo(expectedDue + "T23:59:59+08:00");
    assertThat(world.kinds(provider, app)).containsExactly("APPLICATION_SUBMITTED");

    // decide: approve one of the two items, with conditions
    JsonObject decided = http.post("/api/v1/applications/" + app + "/decision", new JsonObject().put("decision", "APPROVE")
            .put("items", new JsonArray().add("income")).put("conditions", "仅限低保资格复核，不得向第三方提供"))
        .as(provider.token()).expect(200).json();
    assertThat(decided.getString("status")).isEqualTo("APPROVED");
    assertThat(decided.getJsonObject("decision").getJsonArray("items").getList()).containsExactly("income");
    assertThat(decided.getJsonObject("decision").getInteger("workingDays")).isZero();
    String firstGrant = decided.getString("grant");
    assertThat(world.kinds(consumer, app)).containsExactly("APPLICATION_APPROVED");

    // read the grant, and what the data plane will serve
    JsonObject grant = http.get("/api/v1/grants?role=consumer").as(consumer.token()).expect(200).items().getJsonObject(0);
    assertThat(grant.getString("id")).isEqualTo(firstGrant);
    assertThat(grant.getString("status")).isEqualTo("ACTIVE");
    assertThat(grant.getString("usage")).isEqualTo("DATA_VERIFICATION");
    assertThat(grant.getString("conditions")).contains("不得向第三方提供");
    assertThat(grant.getString("application")).isEqualTo(app);
    assertThat(http.get("/api/v1/grants?role=provider").as(provider.token()).expect(200).items().getJsonObject(0).getString("id"))
        .isEqualTo(firstGrant);
    assertThat(world.check(consumer, code).getJsonArray("items").getList()).containsExactly("income", "name");

    // dispute the partial approval and its conditions; the bureau overturns it
    JsonObject dispute = http.post("/api/v1/disputes", new JsonObject().put("application", app)
        .put("statement", "核验低保资格需要身份证号码与收入两项，仅批准收入无法完成比对")).as(consumer.token()).expect(201).json();
    String disputeId = dispute.getString("id");
    assertThat(dispute.getString("status")).isEqualTo("OPEN");
    assertThat(world.kinds(bureau, disputeId)).containsExactly("DISPUTE_OPENED");
    assertThat(world.kinds(provider, disputeId)).containsExactly("DISPUTE_OPENED");
    http.post("/api/v1/disputes", new JsonObject().put("application", app).put("statement", "第二次提出同一争议，应当被拒绝"))
        .as(consumer.token()).expectProblem(409, "CONFLICT");

    JsonObject resolved = http.post("/api/v1/disputes/" + disputeId + "/resolution", new JsonObject().put("outcome", "OVERTURNED")
        .put("note", "经协调，比对业务确需两项数据，按申请全部批准")).as(bureau.token()).expect(200).json();
    assertThat(resolved.getString("status")).isEqualTo("OVERTURNED");
    String newGrant = resolved.getJsonObject("resolution").getString("grant");
    assertThat(newGrant).isNotEqualTo(firstGrant);
    http.post("/api/v1/disputes/" + disputeId + "/resolution", new JsonObject().put("outcome", "UPHELD")
        .put("note", "a second resolution must be refused")).as(bureau.token()).expectProblem(409, "CONFLICT");

    JsonObject reissued = http.get("/api/v1/grants/" + newGrant).as(consumer.token()).expect(200).json();
    assertThat(reissued.getJsonArray("items").getList()).containsExactly("id_number", "income");
    assertThat(reissued.getString("conditions")).isNull();
    assertThat(reissued.getString("dispute")).isEqualTo(disputeId);
    assertThat(http.get("/api/v1/grants/" + firstGrant).as(consumer.token()).expect(200).json().getString("status")).isEqualTo("ENDED");
    assertThat(world.check(consumer, code).getJsonArray("items").getList()).containsExactly("id_number", "income", "name");
    assertThat(world.kinds(consumer, disputeId)).containsExactly("DISPUTE_RESOLVED");
    assertThat(world.kinds(provider, disputeId)).as("newest first").containsExactly("DISPUTE_RESOLVED", "DISPUTE_OPENED");

    // the application's history, as a party and as the bureau see it
    JsonObject full = http.get("/api/v1/applications/" + app).as(consumer.token()).expect(200).json();
    assertThat(full.getJsonArray("history").stream().map(e -> ((JsonObject) e).getString("event")).toList())
        .containsExactly("SUBMITTED", "APPROVED", "DISPUTED", "DISPUTE_OVERTURNED");
    http.get("/api/v1/applications/" + app).as(auditor.token()).expect(200);
    http.get("/api/v1/applications/" + app).as(world.party("OTHER", "CONSUMER").token()).expectProblem(403, "FORBIDDEN");

    // the audit log tells the story in order
    assertThat(world.auditActions(auditor, code)).containsSubsequence("CATALOG_CREATE:OK", "CATALOG_PUBLISH:OK", "APPLICATION_SUBMIT:OK", "APPLICATION_DECIDE:OK", "GRANT_ISSUE:OK",
        "DISPUTE_OPEN:OK", "DISPUTE_OPEN:DENIED", "DISPUTE_RESOLVE:OK", "GRANT_END:OK", "GRANT_ISSUE:OK");
  }

  @Test
  void reject_thenDisputeUpheldOrReferred() {
    Party provider = world.party("GAJ", "PROVIDER");
    Party consumer = world.party("ZJJ", "CONSUMER");
    String code = world.resource(provider, "CONDITIONAL", "address=CONDITIONAL");
    String first = world.apply(consumer, code, "address").getString("id");
    JsonObject rejected = http.post("/api/v1/applications/" + first + "/decision", new JsonObject().put("decision", "REJECT")
        .put("reason", "申请用途与住址信息无关，住建审批不需要精确到门牌")).as(provider.token()).expect(200).json();
    assertThat(rejected.getString("status")).isEqualTo("REJECTED");
    assertThat(rejected.getJsonObject("decision").getString("reason")).contains("门牌");
    assertThat(world.kinds(consumer, first)).containsExactly("APPLICATION_REJECTED");
    assertThat(world.check(consumer, code).getJsonArray("items")).isEmpty();

    String upheld = http.post("/api/v1/disputes", new JsonObject().put("application", first)
        .put("statement", "审批需要核对申请人实际居住地址")).as(consumer.token()).expect(201).json().getString("id");
    JsonObject kept = http.post("/api/v1/disputes/" + upheld + "/resolution", new JsonObject().put("outcome", "UPHELD")
        .put("note", "提供部门的理由成立，维持不予共享的决定")).as(world.admin()).expect(200).json();
    assertThat(kept.getJsonObject("resolution").getString("grant")).isNull();
    assertThat(world.check(consumer, code).getJsonArray("items")).isEmpty();

    // a fresh application may be made once the first is decided; this one goes to the county government
    String second = world.apply(consumer, code, "address").getString("id");
    http.post("/api/v1/applications/" + second + "/decision", new JsonObject().put("decision", "REJECT")
        .put("reason", "同一理由：住址信息不在共享范围之内")).as(provider.token()).expect(200);
    String referred = http.post("/api/v1/disputes", new JsonObject().put("application", second)
        .put("statement", "再次申请仍被拒绝，请求协调")).as(consumer.token()).expect(201).json().getString("id");
    JsonObject toCounty = http.post("/api/v1/disputes/" + referred + "/resolution", new JsonObject().put("outcome", "REFERRED")
        .put("note", "协调未果，提请县政府决定")).as(world.admin()).expect(200).json();
    assertThat(toCounty.getString("status")).isEqualTo("REFERRED");

    JsonArray disputes = http.get("/api/v1/disputes?role=consumer").as(consumer.token()).expect(200).items();
    assertThat(disputes.stream().map(d -> ((JsonObject) d).getString("status")).toList()).containsExactly("REFERRED", "UPHELD");
    assertThat(http.get("/api/v1/disputes?status=REFERRED&department=" + consumer.department()).as(world.admin()).expect(200).items())
        .hasSize(1);
    http.post("/api/v1/disputes/" + referred + "/resolution", new JsonObject().put("outcome", "OVERTURNED")
        .put("note", "only the bureau resolves disputes")).as(provider.token()).expectProblem(403, "FORBIDDEN");
    http.post("/api/v1/disputes/" + referred + "/resolution", new JsonObject().put("outcome", "OVERTURNED")
        .put("note", "a referred dispute is final here")).as(world.admin()).expectProblem(409, "CONFLICT");
  }

  @Test
  void disputes_refusals() {
    Party provider = world.party("WJW", "PROVIDER");
    Party consumer = world.party("YBJ", "CONSUMER");
    String code = world.resource(provider, "CONDITIONAL", "diagnosis=CONDITIONAL");
    String app = world.apply(consumer, code, "diagnosis").getString("id");
    // pending: nothing to dispute yet
    http.post("/api/v1/disputes", new JsonObject().put("application", app).put("statement", "尚未决定，不能提出争议"))
        .as(consumer.token()).expectProblem(409, "CONFLICT");
    http.post("/api/v1/applications/" + app + "/decision", new JsonObject().put("decision", "REJECT")
        .put("reason", "诊断信息属于敏感个人信息，需患者授权")).as(provider.token()).expect(200);
    http.post("/api/v1/disputes", new JsonObject().put("application", app).put("statement", "太短"))
        .as(consumer.token()).expectProblem(422, "VALIDATION_FAILED");
    http.post("/api/v1/disputes", new JsonObject().put("application", app).put("statement", "提供部门不能替消费部门提出争议"))
        .as(provider.token()).expectProblem(403, "FORBIDDEN");
    http.post("/api/v1/disputes", new JsonObject().put("application", "app-nosuchthing").put("statement", "不存在的申请不能提出争议"))
        .as(consumer.token()).expectProblem(404, "NOT_FOUND");
    String id = http.post("/api/v1/disputes", new JsonObject().put("application", app).put("statement", "医保结算需要诊断编码"))
        .as(consumer.token()).expect(201).json().getString("id");
    http.post("/api/v1/disputes/" + id + "/resolution", new JsonObject().put("outcome", "UPHELD").put("note", "提供部门无权裁决争议事项"))
        .as(provider.token()).expectProblem(403, "FORBIDDEN");
    http.post("/api/v1/disputes/" + id + "/resolution", new JsonObject().put("outcome", "UPHELD").put("note", "短"))
        .as(world.admin()).expectProblem(422, "VALIDATION_FAILED");
    http.post("/api/v1/disputes/" + id + "/resolution", new JsonObject().put("outcome", "MAYBE").put("note", "not an outcome at all"))
        .as(world.admin()).expectProblem(400, "VALIDATION_FAILED");
    http.get("/api/v1/disputes/" + id).as(world.party("OTHER", "CONSUMER").token()).expectProblem(403, "FORBIDDEN");
    assertThat(http.get("/api/v1/disputes/" + id).as(provider.token()).expect(200).json().getString("status")).isEqualTo("OPEN");
  }

  @Test
  void decisionDue_isTheEndOfTheFifthWorkingDayInThePlatformZone() {
    Party provider = world.party("TJJ", "PROVIDER");
    Party consumer = world.party("FGW", "CONSUMER");
    JsonObject a = world.apply(consumer, world.resource(provider, "CONDITIONAL", "gdp=CONDITIONAL"), "gdp");
    OffsetDateTime submitted = OffsetDateTime.parse(a.getString("submittedAt"));
    OffsetDateTime due = OffsetDateTime.parse(a.getString("decisionDue"));
    assertThat(submitted.getOffset().getId()).isEqualTo("+08:00");
    assertThat(due.toLocalTime()).hasToString("23:59:59");
    assertThat(due.toLocalDate()).isAfter(submitted.toLocalDate().plusDays(4));
    assertThat(List.of(due.getDayOfWeek().getValue())).doesNotContain(7);
  }
}
