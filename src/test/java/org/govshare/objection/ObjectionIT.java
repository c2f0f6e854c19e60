package org.govshare.objection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.govshare.objection.ObjectionWorld.objection;
import static org.govshare.objection.ObjectionWorld.person;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.govshare.objection.ObjectionWorld.Party;
import org.govshare.testing.TestServer;
import org.junit.jupiter.api.Test;

/** Objections over real HTTP: filed by a reader, flagged on the data plane while open, answered both ways, overdue once, refused. */
class ObjectionIT {
  private final ObjectionWorld w = new ObjectionWorld(TestServer.shared());

  @Test
  void corrected_updatesTheRecordAndItsVersion_andFlagsItWhileOpen() {
    Party provider = w.party("GA", "PROVIDER");
    Party consumer = w.party("MZ", "CONSUMER");
    String code = w.persons(provider, null, null, null);
    JsonObject uploaded = w.upload(provider, code, List.of(person("P001", "张三", "13800000001", 3000),
        person("P002", "李四", "13800000002", 4000)));
    assertThat(w.read(code, "P001").as(consumer.token()).expect(200).json().getJsonArray("underVerification")).isEmpty();

    JsonObject filed = w.file(objection(code, "P001", "name", "张叁")).as(consumer.token()).expect(201).json();
    String id = filed.getString("id");
    assertThat(filed.getString("status")).isEqualTo("OPEN");
    assertThat(filed.getString("consumer")).isEqualTo(consumer.department());
    assertThat(filed.getString("provider")).isEqualTo(provider.department());
    assertThat(filed.getString("answerDue")).isNotBlank();
    assertThat(filed.getBoolean("overdue")).isFalse();
    assertThat(filed.getString("proposedValue")).isEqualTo("张叁");

    // still served, with the item flagged, to every reader
    JsonObject read = w.read(code, "P001").as(consumer.token()).expect(200).json();
    assertThat(read.getJsonArray("underVerification")).containsExactly("name");
    assertThat(read.getJsonObject("record").getString("name")).isEqualTo("张三");
    assertThat(w.read(code, "P001").as(provider.token()).expect(200).json().getJsonArray("underVerification")).containsExactly("name");
    JsonArray looked = w.lookup(code, "P001", "P002").as(w.party("JY", "CONSUMER").token()).expect(200).json().getJsonArray("records");
    assertThat(looked.stream().map(r -> ((JsonObject) r).getString("key") + "=" + ((JsonObject) r).getJsonArray("underVerification")))
        .containsExactlyInAnyOrder("P001=[\"name\"]", "P002=[]");

    w.file(objection(code, "P001", "name", "张三丰")).as(w.client(consumer.department(), "CONSUMER").token()).expectProblem(409, "CONFLICT");
    assertThat(w.kinds(provider, id)).containsExactly("OBJECTION_FILED");
    assertThat(w.kinds(w.admin(), id)).containsExactly("OBJECTION_FILED");

    // who may answer, and what an answer must say
    JsonObject fix = new JsonObject().put("outcome", "CORRECTED").put("note", "已按户籍登记簿更正").put("correctedValue", "张叁");
    w.answer(id, fix).as(consumer.token()).expectProblem(403, "FORBIDDEN");
    w.answer(id, fix).as(w.party("SC", "PROVIDER").token()).expectProblem(403, "FORBIDDEN");
    w.answer(id, fix).as(w.client(provider.department(), "CONSUMER").token()).expectProblem(403, "FORBIDDEN");
    w.answer(id, fix.copy().put("outcome", "MAYBE")).as(provider.token()).expectProblem(400, "VALIDATION_FAILED");
    w.answer(id, new JsonObject().put("outcome", "CORRECTED").put("note", "已更正")).as(provider.token()).expectProblem(422, "VALIDATION_FAILED");
    w.answer(id, fix.copy().put("correctedValue", "长".repeat(51))).as(provider.token()).expectProblem(422, "VALIDATION_FAILED");
    w.answer(id, fix.copy().put("correctedValue", 42)).as(provider.token()).expectProblem(422, "VALIDATION_FAILED");
    w.answer("obj-nothere", fix).as(provider.token()).expectProblem(404, "NOT_FOUND");
    assertThat(w.read(code, "P001").as(consumer.token()).expect(200).json().getInteger("version")).isEqualTo(1);

    JsonObject answered = w.answer(id, fix).as(provider.token()).expect(200).json();
    assertThat(answered.getString("status")).isEqualTo("CORRECTED");
    JsonObject answer = answered.getJsonObject("answer");
    assertThat(answer.getString("correctedValue")).isEqualTo("张叁");
    assertThat(answer.getInteger("recordVersion")).isEqualTo(2);
    assertThat(answer.getLong("recordSeq")).isEqualTo(uploaded.getLong("lastSeq") + 1);
    assertThat(answer.getInteger("workingDays")).isZero();
    assertThat(answer.getBoolean("late")).isFalse();

    JsonObject after = w.read(code, "P001").as(consumer.token()).expect(200).json();
    assertThat(after.getJsonObject("record").getString("name")).isEqualTo("张叁");
    assertThat(after.getJsonObject("record").getString("phone")).isEqualTo("13800000001");
    assertThat(after.getInteger("version")).isEqualTo(2);
    assertThat(after.getJsonArray("underVerification")).isEmpty();
    w.answer(id, fix).as(provider.token()).expectProblem(409, "CONFLICT");
    // the next upload continues the record's sequence after the correction
    assertThat(w.upload(provider, code, List.of(person("P002", "李四", "13800000002", 4100))).getLong("firstSeq"))
        .isEqualTo(answer.getLong("recordSeq") + 1);

    assertThat(w.kinds(consumer, id)).containsExactly("OBJECTION_ANSWERED");
    JsonObject seen = w.http.get("/api/v1/objections/" + id).as(consumer.token()).expect(200).json();
    assertThat(seen.getJsonArray("history").stream().map(e -> ((JsonObject) e).getString("event"))).containsExactly("FILED", "CORRECTED");
    w.http.get("/api/v1/objections/" + id).as(w.admin().token()).expect(200);
    w.http.get("/api/v1/objections/" + id).as(w.party("JY", "CONSUMER").token()).expectProblem(403, "FORBIDDEN");

    JsonObject fileRecord = w.audit(code, "OBJECTION_FILE").stream().filter(r -> id.equals(r.getString("subject"))).findFirst().orElseThrow();
    assertThat(fileRecord.getJsonObject("detail").getMap()).containsEntry("provider", provider.department())
        .containsEntry("consumer", consumer.department()).containsEntry("item", "name").containsEntry("key", "P001");
    JsonObject answerRecord = w.audit(code, "OBJECTION_ANSWER").stream().filter(r -> "OK".equals(r.getString("outcome"))).findFirst()
        .orElseThrow();
    assertThat(answerRecord.getString("subject")).isEqualTo(id);
    assertThat(answerRecord.getJsonObject("detail").getMap()).containsEntry("outcome", "CORRECTED").containsEntry("answerWorkingDays", 0)
        .containsEntry("provider", provider.department()).containsEntry("consumer", consumer.department())
        .containsEntry("item", "name").containsEntry("key", "P001");
    assertThat(w.audit(code, "DATA_INGEST").stream().filter(r -> id.equals(r.getJsonObject("detail").getString("objection"))))
        .singleElement().satisfies(r -> assertThat(r.getJsonObject("detail").getLong("firstSeq")).isEqualTo(answer.getLong("recordSeq")));
    assertThat(w.audit(code, "OBJECTION_READ")).isNotEmpty();
  }

  @Test
  void confirmed_leavesTheRecord_andNeedsAConcreteReason() {
    Party provider = w.party("GA", "PROVIDER");
    Party consumer = w.party("MZ", "CONSUMER");
    String code = w.persons(provider, null, null, null);
    w.upload(provider, code, List.of(person("P010", "王五", "13800000010", 3000)));
    String id = w.file(objection(code, "P010", "phone", null)).as(consumer.token()).expect(201).json().getString("id");

    w.answer(id, new JsonObject().put("outcome", "CONFIRMED").put("note", "无")).as(provider.token()).expectProblem(422, "VALIDATION_FAILED");
    w.answer(id, new JsonObject().put("outcome", "CONFIRMED").put("note", "经电话核实，号码为本人在用号码").put("correctedValue", "1"))
        .as(provider.token()).expectProblem(422, "VALIDATION_FAILED");
    JsonObject answered = w.answer(id, new JsonObject().put("outcome", "CONFIRMED").put("note", "经电话核实，号码为本人在用号码"))
        .as(w.client(provider.department(), "DEPT_ADMIN").token()).expect(200).json();
    assertThat(answered.getString("status")).isEqualTo("CONFIRMED");
    assertThat(answered.getJsonObject("answer").containsKey("recordVersion")).isFalse();

    JsonObject read = w.read(code, "P010").as(consumer.token()).expect(200).json();
    assertThat(read.getInteger("version")).isEqualTo(1);
    assertThat(read.getJsonObject("record").getString("phone")).isEqualTo("13800000010");
    assertThat(read.getJsonArray("underVerification")).isEmpty();
    assertThat(w.audit(code, "OBJECTION_ANSWER").get(0).getJsonObject("detail").getString("outcome")).isEqualTo("CONFIRMED");
    // answered: the same item may be objected to again
    w.file(objection(code, "P010", "phone", "13900000010")).as(consumer.token()).expect(201);
  }

  @Test
  void file_refusesWhatTheFilerMayNotReadUnknownRecordsAndBadValues() {
    Party provider = w.party("GA", "PROVIDER");
    Party consumer = w.party("MZ", "CONSUMER");
    String code = w.persons(provider, null, null, null);
    w.upload(provider, code, List.of(person("P020", "赵六", "13800000020", 3000)));

    w.file(objection(code, "P020", "income", 3500)).as(consumer.token()).expectProblem(403, "FORBIDDEN"); // CONDITIONAL, no grant
    w.file(objection(code, "P020", "name", "赵陆")).as(w.client("BUREAU", "AUDITOR").token()).expectProblem(403, "FORBIDDEN");
    w.file(objection(code, "P999", "name", "赵陆")).as(consumer.token()).expectProblem(404, "NOT_FOUND");
    w.file(objection("999999/999999", "P020", "name", "赵陆")).as(consumer.token()).expectProblem(404, "NOT_FOUND");
    w.file(objection(code, "P020", "shoe_size", 42)).as(consumer.token()).expectProblem(422, "VALIDATION_FAILED");
    w.file(objection(code, "P020", "pid", "P021")).as(consumer.token()).expectProblem(422, "VALIDATION_FAILED");
    w.file(objection(code, "P020", "name", 42)).as(consumer.token()).expectProblem(422, "VALIDATION_FAILED");
    w.file(objection(code, "P020", "name", "赵陆").put("evidence", "xxx")).as(consumer.token()).expectProblem(422, "VALIDATION_FAILED");
    w.file(objection(code, "P020", "name", "赵陆")).as(w.client(provider.department(), "DEPT_ADMIN").token())
        .expectProblem(422, "VALIDATION_FAILED");
    w.file(objection(code, "P020", "name", "赵陆").put("extra", 1)).as(consumer.token()).expectProblem(400, "VALIDATION_FAILED");
    assertThat(w.read(code, "P020").as(consumer.token()).expect(200).json().getJsonArray("underVerification")).isEmpty();
    assertThat(w.audit(code, "OBJECTION_FILE")).isNotEmpty().allSatisfy(r -> assertThat(r.getString("outcome")).isEqualTo("DENIED"));

    String id = w.file(objection(code, "P020", "name", "赵陆")).as(consumer.token()).expect(201).json().getString("id");
    assertThat(w.http.get("/api/v1/objections?role=consumer").as(consumer.token()).expect(200).items().stream()
        .map(o -> ((JsonObject) o).getString("id"))).containsExactly(id);
    assertThat(w.http.get("/api/v1/objections?role=provider&status=OPEN").as(provider.token()).expect(200).items().stream()
        .map(o -> ((JsonObject) o).getString("id"))).containsExactly(id);
    assertThat(w.http.get("/api/v1/objections?role=provider").as(consumer.token()).expect(200).items()).isEmpty();
    assertThat(w.http.get("/api/v1/objections?status=CORRECTED").as(consumer.token()).expect(200).items()).isEmpty();
    w.http.get("/api/v1/objections?department=" + provider.department()).as(consumer.token()).expectProblem(403, "FORBIDDEN");
    assertThat(w.http.get("/api/v1/objections?department=" + consumer.department()).as(w.admin().token()).expect(200).items()).hasSize(1);
  }

  @Test
  void overdue_isFlaggedAndNotifiedOnce_andCanStillBeAnswered() {
    Party provider = w.party("GA", "PROVIDER");
    Party consumer = w.party("MZ", "CONSUMER");
    String code = w.persons(provider, null, null, null);
    w.upload(provider, code, List.of(person("P030", "孙七", "13800000030", 3000), person("P031", "周八", "13800000031", 3000)));
    String late = w.file(objection(code, "P030", "name", "孙柒")).as(consumer.token()).expect(201).json().getString("id");
    String onTime = w.file(objection(code, "P031", "name", "周捌")).as(consumer.token()).expect(201).json().getString("id");
    w.age(late, 30);

    ObjectionClock job = w.server.platform().objectionClock();
    ObjectionWorld.await(Future.all(job.runOnce(), job.runOnce(), job.runOnce()));
    ObjectionWorld.await(job.runOnce());

    JsonObject flagged = w.http.get("/api/v1/objections/" + late).as(provider.token()).expect(200).json();
    assertThat(flagged.getBoolean("overdue")).isTrue();
    assertThat(flagged.getString("status")).isEqualTo("OPEN");
    assertThat(flagged.getJsonArray("history").stream().filter(e -> "OVERDUE".equals(((JsonObject) e).getString("event")))).hasSize(1);
    assertThat(w.http.get("/api/v1/objections/" + onTime).as(provider.token()).expect(200).json().getBoolean("overdue")).isFalse();
    assertThat(w.http.get("/api/v1/objections?role=provider&overdue=true").as(provider.token()).expect(200).items().stream()
        .map(o -> ((JsonObject) o).getString("id"))).containsExactly(late);
    assertThat(w.kinds(provider, late)).containsExactly("OBJECTION_OVERDUE", "OBJECTION_FILED");
    assertThat(w.kinds(w.admin(), late)).containsExactly("OBJECTION_OVERDUE", "OBJECTION_FILED");
    assertThat(w.kinds(consumer, late)).isEmpty();
    List<JsonObject> overdue = w.audit(code, "OBJECTION_OVERDUE");
    assertThat(overdue).singleElement().satisfies(r -> {
      assertThat(r.getString("subject")).isEqualTo(late);
      assertThat(r.getJsonObject("detail").getString("provider")).isEqualTo(provider.department());
      assertThat(r.getJsonObject("detail").getString("consumer")).isEqualTo(consumer.department());
    });

    JsonObject answered = w.answer(late, new JsonObject().put("outcome", "CONFIRMED").put("note", "经核对户籍登记簿，姓名登记无误"))
        .as(provider.token()).expect(200).json();
    assertThat(answered.getBoolean("overdue")).isTrue();
    assertThat(answered.getJsonObject("answer").getBoolean("late")).isTrue();
    assertThat(answered.getJsonObject("answer").getInteger("workingDays")).isGreaterThan(5);
    assertThat(w.audit(code, "OBJECTION_ANSWER").get(0).getJsonObject("detail").getInteger("answerWorkingDays")).isGreaterThan(5);
    ObjectionWorld.await(job.runOnce());
    assertThat(w.kinds(w.admin(), late)).containsExactly("OBJECTION_OVERDUE", "OBJECTION_FILED");
  }
}
