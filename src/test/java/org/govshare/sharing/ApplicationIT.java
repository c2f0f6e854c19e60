package org.govshare.sharing;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.govshare.sharing.SharingWorld.Party;
import org.govshare.testing.Http;
import org.junit.jupiter.api.Test;

/** Every refusal of an application and of a decision, one at a time. */
class ApplicationIT {
  private final SharingWorld world = new SharingWorld();
  private final Http http = world.http;

  @Test
  void submit_refusesWhatNeedsNoOrCannotHaveAnApplication() {
    Party provider = world.party("SCJ", "PROVIDER");
    Party consumer = world.party("SWJ", "CONSUMER");
    String mixed = world.resource(provider, "CONDITIONAL", "name=UNCONDITIONAL", "licence=CONDITIONAL", "tax=NOT_SHARED");

    JsonObject direct = http.post("/api/v1/applications", SharingWorld.application(mixed, "name")).as(consumer.token())
        .expectProblem(409, "CONFLICT").json();
    assertThat(direct.getString("detail")).contains("read them directly");
    assertThat(direct.getJsonArray("readableDirectly").getList()).containsExactly("name");
    String open = world.resource(provider, "UNCONDITIONAL", "name=UNCONDITIONAL", "address=UNCONDITIONAL");
    assertThat(http.post("/api/v1/applications", SharingWorld.application(open, "name")).as(consumer.token())
        .expectProblem(409, "CONFLICT").json().getString("detail")).contains("shared unconditionally");

    JsonObject item = http.post("/api/v1/applications", SharingWorld.application(mixed, "licence", "tax")).as(consumer.token())
        .expectProblem(403, "FORBIDDEN").json();
    assertThat(item.getString("detail")).contains("tax").contains("个人信息保护法");
    assertThat(item.getString("notSharedBasis")).contains("第二十八条");
    String closed = world.resource(provider, "NOT_SHARED", "secret=NOT_SHARED");
    assertThat(http.post("/api/v1/applications", SharingWorld.application(closed, "secret")).as(consumer.token())
        .expectProblem(403, "FORBIDDEN").json().getString("detail")).contains("统计法");

    JsonObject unknown = http.post("/api/v1/applications", SharingWorld.application(mixed, "licence", "salary")).as(consumer.token())
        .expectProblem(422, "VALIDATION_FAILED").json();
    assertThat(unknown.getJsonArray("errors").getJsonObject(0).getString("field")).isEqualTo("items[1]");

    Party ownConsumer = world.client(provider.department(), "CONSUMER");
    assertThat(http.post("/api/v1/applications", SharingWorld.application(mixed, "licence")).as(ownConsumer.token())
        .expectProblem(422, "VALIDATION_FAILED").json().getString("detail")).contains("own department");

    http.post("/api/v1/applications", SharingWorld.application("399999/999999", "x")).as(consumer.token())
        .expectProblem(404, "NOT_FOUND");
    String draft = world.resourceIn("DRAFT", provider, "CONDITIONAL", "licence=CONDITIONAL");
    http.post("/api/v1/applications", SharingWorld.application(draft, "licence")).as(consumer.token()).expectProblem(404, "NOT_FOUND");
    String retired = world.resourceIn("RETIRED", provider, "CONDITIONAL", "licence=CONDITIONAL");
    http.post("/api/v1/applications", SharingWorld.application(retired, "licence")).as(consumer.token())
        .expectProblem(422, "VALIDATION_FAILED");

    // the caller and the body
    http.post("/api/v1/applications", SharingWorld.application(mixed, "licence")).as(provider.token()).expectProblem(403, "FORBIDDEN");
    http.post("/api/v1/applications", SharingWorld.application(mixed, "licence").put("usage", "CURIOSITY")).as(consumer.token())
        .expectProblem(400, "VALIDATION_FAILED");
    http.post("/api/v1/applications", SharingWorld.application(mixed, "licence").put("purpose", "  ")).as(consumer.token())
        .expectProblem(422, "VALIDATION_FAILED");
    http.post("/api/v1/applications", SharingWorld.application(mixed, "licence").put("validUntil", "2020-01-01")).as(consumer.token())
        .expectProblem(422, "VALIDATION_FAILED");
    http.post("/api/v1/applications", SharingWorld.application(mixed).put("items", new JsonArray())).as(consumer.token())
        .expectProblem(400, "VALIDATION_FAILED");

    // one pending application per department and resource
    String first = world.apply(consumer, mixed, "licence").getString("id");
    JsonObject twice = http.post("/api/v1/applications", SharingWorld.application(mixed, "licence")).as(consumer.token())
        .expectProblem(409, "CONFLICT").json();
    assertThat(twice.getString("pendingApplication")).isEqualTo(first);

    // every refusal is in the audit log under the resource
    assertThat(world.auditActions(world.bureauAuditor(), mixed)).containsSubsequence("APPLICATION_SUBMIT:DENIED",
        "APPLICATION_SUBMIT:DENIED", "APPLICATION_SUBMIT:DENIED", "APPLICATION_SUBMIT:OK", "APPLICATION_SUBMIT:DENIED");
  }

  @Test
  void decide_onlyByTheProviderDepartment_withAConcreteReason() {
    Party provider = world.party("ZRZY", "PROVIDER");
    Party consumer = world.party("NYJ", "CONSUMER");
    Party stranger = world.party("SLJ", "PROVIDER", "DEPT_ADMIN");
    String code = world.resource(provider, "CONDITIONAL", "parcel=CONDITIONAL", "owner=CONDITIONAL");
    String app = world.apply(consumer, code, "parcel", "owner").getString("id");
    String path = "/api/v1/applications/" + app + "/decision";
    JsonObject approve = new JsonObject().put("decision", "APPROVE");

    for (Http.Reply refused : List.of(http.post(path, approve).as(stranger.token()).expectProblem(403, "FORBIDDEN"),
        http.get("/api/v1/applications/" + app).as(stranger.token()).expectProblem(403, "FORBIDDEN"))) {
      // a stranger learns neither who the parties are nor which resource it is about
      assertThat(refused.body()).doesNotContain(consumer.department()).doesNotContain(provider.department()).doesNotContain(code);
    }
    http.post(path, approve).as(consumer.token()).expectProblem(403, "FORBIDDEN");
    http.post(path, approve).as(world.admin()).expectProblem(403, "FORBIDDEN");
    http.post(path, approve).as(world.client(provider.department(), "CONSUMER").token()).expectProblem(403, "FORBIDDEN");

    for (String weak : new String[] {null, "", "          ", "不同意", "no reason", "!!!!!!!!!!!!!!!"}) {
      http.post(path, new JsonObject().put("decision", "REJECT").put("reason", weak)).as(provider.token())
          .expectProblem(422, "VALIDATION_FAILED");
    }
    http.post(path, new JsonObject().put("decision", "REJECT").put("reason", "宗地权属信息仅限不动产登记业务使用")
        .put("items", new JsonArray().add("owner"))).as(provider.token()).expectProblem(422, "VALIDATION_FAILED");
    http.post(path, approve.copy().put("items", new JsonArray().add("tax"))).as(provider.token()).expectProblem(422, "VALIDATION_FAILED");
    http.post(path, approve.copy().put("items", new JsonArray())).as(provider.token()).expectProblem(422, "VALIDATION_FAILED");
    http.post(path, approve.copy().put("validUntil", "2001-01-01")).as(provider.token()).expectProblem(422, "VALIDATION_FAILED");
    http.post(path, new JsonObject().put("decision", "MAYBE")).as(provider.token()).expectProblem(400, "VALIDATION_FAILED");
    http.post("/api/v1/applications/app-nosuchthing/decision", approve).as(provider.token()).expectProblem(404, "NOT_FOUND");

    // a department admin of the provider decides too; a second decision is refused
    Party admin = world.client(provider.department(), "DEPT_ADMIN");
    assertThat(http.post(path, approve).as(admin.token()).expect(200).json().getString("status")).isEqualTo("APPROVED");
    JsonObject again = http.post(path, new JsonObject().put("decision", "REJECT").put("reason", "改变主意，撤回之前的批准决定"))
        .as(provider.token()).expectProblem(409, "CONFLICT").json();
    assertThat(again.getString("currentStatus")).isEqualTo("APPROVED");
    assertThat(http.get("/api/v1/grants?resource=" + code).as(consumer.token()).expect(200).items()).hasSize(1);
    assertThat(world.auditActions(world.bureauAuditor(), code)).containsSubsequence("APPLICATION_DECIDE:DENIED",
        "APPLICATION_DECIDE:OK", "GRANT_ISSUE:OK", "APPLICATION_DECIDE:DENIED");
  }

  @Test
  void concurrentDecisions_exactlyOneWins() throws Exception {
    Party provider = world.party("JTJ", "PROVIDER");
    Party consumer = world.party("JYJ", "CONSUMER");
    String code = world.resource(provider, "CONDITIONAL", "plate=CONDITIONAL");
    for (int round = 0; round < 3; round++) {
      String app = world.apply(consumer, code, "plate").getString("id");
      String path = "/api/v1/applications/" + app + "/decision";
      ExecutorService pool = Executors.newFixedThreadPool(8);
      List<Callable<Integer>> calls = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        JsonObject body = i % 2 == 0 ? new JsonObject().put("decision", "APPROVE")
            : new JsonObject().put("decision", "REJECT").put("reason", "并发测试中的拒绝决定，理由充分 " + i);
        calls.add(() -> http.post(path, body).as(provider.token()).send().status());
      }
      List<Integer> statuses = new ArrayList<>();
      for (Future<Integer> f : pool.invokeAll(calls)) {
        statuses.add(f.get());
      }
      pool.shutdown();
      assertThat(statuses).filteredOn(s -> s == 200).hasSize(1);
      assertThat(statuses).filteredOn(s -> s == 409).hasSize(7);
      JsonObject decided = http.get("/api/v1/applications/" + app).as(consumer.token()).expect(200).json();
      long decisions = decided.getJsonArray("history").stream()
          .filter(e -> List.of("APPROVED", "REJECTED").contains(((JsonObject) e).getString("event"))).count();
      assertThat(decisions).isEqualTo(1);
      int grants = http.get("/api/v1/grants?resource=" + code + "&role=consumer").as(consumer.token()).expect(200).items().stream()
          .filter(g -> app.equals(((JsonObject) g).getString("application"))).toList().size();
      assertThat(grants).isEqualTo("APPROVED".equals(decided.getString("status")) ? 1 : 0);
    }
  }

  @Test
  void withdraw_whilePendingOnly_byTheConsumer() {
    Party provider = world.party("LYJ", "PROVIDER");
    Party consumer = world.party("WLJ", "CONSUMER");
    String code = world.resource(provider, "CONDITIONAL", "visitors=CONDITIONAL");
    String app = world.apply(consumer, code, "visitors").getString("id");
    String withdraw = "/api/v1/applications/" + app + "/withdraw";
    http.post(withdraw).as(provider.token()).expectProblem(403, "FORBIDDEN");
    http.post(withdraw).as(world.party("OTHER", "CONSUMER").token()).expectProblem(403, "FORBIDDEN");
    JsonObject withdrawn = http.post(withdraw).as(consumer.token()).expect(200).json();
    assertThat(withdrawn.getString("status")).isEqualTo("WITHDRAWN");
    assertThat(withdrawn.getString("withdrawnAt")).isNotBlank();
    http.post(withdraw).as(consumer.token()).expectProblem(409, "CONFLICT");
    http.post("/api/v1/applications/" + app + "/decision", new JsonObject().put("decision", "APPROVE")).as(provider.token())
        .expectProblem(409, "CONFLICT");
    assertThat(world.kinds(provider, app)).containsExactly("APPLICATION_WITHDRAWN", "APPLICATION_SUBMITTED");

    // a decided application cannot be withdrawn; a new one can be made after a withdrawal
    String second = world.apply(consumer, code, "visitors").getString("id");
    world.approve(provider, second);
    http.post("/api/v1/applications/" + second + "/withdraw").as(consumer.token()).expectProblem(409, "CONFLICT");
    assertThat(world.auditActions(world.bureauAuditor(), code)).containsSubsequence("APPLICATION_WITHDRAW:DENIED",
        "APPLICATION_WITHDRAW:OK", "APPLICATION_WITHDRAW:DENIED", "APPLICATION_SUBMIT:OK", "APPLICATION_DECIDE:OK",
        "APPLICATION_WITHDRAW:DENIED");
  }

  @Test
  void lists_areFilteredPagedAndScopedToTheDepartment() {
    Party provider = world.party("HBJ", "PROVIDER");
    Party consumer = world.party("YJJ", "CONSUMER", "PROVIDER");
    Party other = world.party("QXJ", "CONSUMER");
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ids.add(world.apply(consumer, world.resource(provider, "CONDITIONAL", "pm25=CONDITIONAL"), "pm25").getString("id"));
    }
    world.approve(provider, ids.get(0));

    JsonObject page1 = http.get("/api/v1/applications?role=consumer&limit=2").as(consumer.token()).expect(200).json();
    assertThat(page1.getJsonArray("items").stream().map(a -> ((JsonObject) a).getString("id")).toList())
        .containsExactly(ids.get(2), ids.get(1));
    JsonObject page2 = http.get("/api/v1/applications?role=consumer&limit=2&cursor=" + page1.getString("nextCursor"))
        .as(consumer.token()).expect(200).json();
    assertThat(page2.getJsonArray("items").stream().map(a -> ((JsonObject) a).getString("id")).toList()).containsExactly(ids.get(0));
    assertThat(page2.getString("nextCursor")).isNull();

    assertThat(http.get("/api/v1/applications?role=provider").as(consumer.token()).expect(200).items()).isEmpty();
    assertThat(http.get("/api/v1/applications?role=provider&status=PENDING").as(provider.token()).expect(200).items()).hasSize(2);
    assertThat(http.get("/api/v1/applications?status=APPROVED").as(provider.token()).expect(200).items()).hasSize(1);
    assertThat(http.get("/api/v1/applications?overdue=true").as(provider.token()).expect(200).items()).isEmpty();
    assertThat(http.get("/api/v1/applications").as(other.token()).expect(200).items()).isEmpty();
    http.get("/api/v1/applications?department=" + consumer.department()).as(other.token()).expectProblem(403, "FORBIDDEN");
    assertThat(http.get("/api/v1/applications?department=" + consumer.department()).as(world.bureauAuditor().token()).expect(200)
        .items()).hasSize(3);
    http.get("/api/v1/applications?role=both").as(consumer.token()).expectProblem(400, "VALIDATION_FAILED");
    http.get("/api/v1/applications?cursor=garbage").as(consumer.token()).expectProblem(400, "VALIDATION_FAILED");
    http.get("/api/v1/applications?limit=501").as(consumer.token()).expectProblem(400, "VALIDATION_FAILED");
  }
}
