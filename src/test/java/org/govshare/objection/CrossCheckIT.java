package org.govshare.objection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.govshare.objection.ObjectionWorld.person;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.govshare.objection.ObjectionWorld.Party;
import org.govshare.testing.TestServer;
import org.junit.jupiter.api.Test;

/** Cross-checks over real HTTP: copies that disagree with their authoritative source found, reported, turned into objections. */
class CrossCheckIT {
  private final ObjectionWorld w = new ObjectionWorld(TestServer.shared());

  @Test
  void crosscheck_findsCopiesThatDisagree_andTheSourceFilesObjectionsFromThem() {
    Party source = w.party("GA", "PROVIDER");
    Party holder = w.party("MZ", "PROVIDER");
    Party other = w.party("JY", "PROVIDER");
    String keyElement = ObjectionWorld.element("pid");
    String nameElement = ObjectionWorld.element("name");
    String src = w.persons(source, keyElement, nameElement, null);
    String copy = w.persons(holder, keyElement, nameElement, src);
    String otherKeyed = w.persons(other, null, nameElement, src);
    w.upload(source, src, List.of(person("P1", "甲", "13800000001", 1), person("P2", "乙", "13800000002", 1),
        person("P3", "丙", "13800000003", 1), person("P4", "丁", "13800000004", 1), person("P5", "戊", "13800000005", 1),
        person("P6", "己", "13800000006", 1)));
    w.upload(holder, copy, List.of(person("P1", "甲", "1", 1), person("P2", "乙乙", "1", 1), person("P3", "丙", "1", 1),
        person("P4", "丁丁", "1", 1), person("P5", "戊", "1", 1), person("P9", "癸", "1", 1)));
    w.upload(other, otherKeyed, List.of(person("P1", "别名", "1", 1)));

    JsonObject start = new JsonObject().put("element", nameElement);
    w.http.post("/api/v1/crosschecks", start).as(holder.token()).expectProblem(403, "FORBIDDEN");
    w.http.post("/api/v1/crosschecks", start).as(w.client(source.department(), "CONSUMER").token()).expectProblem(403, "FORBIDDEN");
    w.http.post("/api/v1/crosschecks", new JsonObject().put("element", ObjectionWorld.element("nothing"))).as(source.token())
        .expectProblem(404, "NOT_FOUND");
    JsonObject started = w.http.post("/api/v1/crosschecks", start).as(source.token()).expect(201).json();
    assertThat(started.getString("status")).isEqualTo("RUNNING");
    assertThat(started.getString("source")).isEqualTo(src);
    assertThat(started.getString("sourceItem")).isEqualTo("name");
    String id = started.getString("id");

    JsonObject done = awaitEnd(id, source);
    assertThat(done.getString("status")).isEqualTo("DONE");
    JsonObject compared = copy(done, copy);
    assertThat(compared.getString("status")).isEqualTo("DONE");
    assertThat(compared.getString("provider")).isEqualTo(holder.department());
    assertThat(compared.getLong("scanned")).isEqualTo(6);
    assertThat(compared.getLong("compared")).isEqualTo(5);
    assertThat(compared.getLong("notInSource")).isEqualTo(1);
    assertThat(compared.getLong("mismatches")).isEqualTo(2);
    assertThat(compared.getJsonArray("samples").stream().map(s -> (JsonObject) s)).containsExactly(
        new JsonObject().put("key", "P2").put("item", "name").put("sourceValue", "乙").put("copyValue", "乙乙"),
        new JsonObject().put("key", "P4").put("item", "name").put("sourceValue", "丁").put("copyValue", "丁丁"));
    JsonObject skipped = copy(done, otherKeyed);
    assertThat(skipped.getString("status")).isEqualTo("SKIPPED");
    assertThat(skipped.getString("skipped")).contains("cannot be paired");
    assertThat(done.getLong("mismatches")).isEqualTo(2);

    w.http.get("/api/v1/crosschecks/" + id).as(w.client("BUREAU", "AUDITOR").token()).expect(200);
    w.http.get("/api/v1/crosschecks/" + id).as(w.admin().token()).expect(200);
    w.http.get("/api/v1/crosschecks/" + id).as(holder.token()).expectProblem(403, "FORBIDDEN");
    w.http.get("/api/v1/crosschecks/xck-nothere").as(source.token()).expectProblem(404, "NOT_FOUND");

    // the source's provider files objections from the mismatches, against the copy's provider
    String file = "/api/v1/crosschecks/" + id + "/objections";
    w.http.post(file, new JsonObject()).as(holder.token()).expectProblem(403, "FORBIDDEN");
    w.http.post(file, new JsonObject()).as(w.admin().token()).expectProblem(403, "FORBIDDEN");
    w.http.post(file, new JsonObject().put("resource", "999999/999999")).as(source.token()).expectProblem(404, "NOT_FOUND");
    JsonObject filed = w.http.post(file, new JsonObject()).as(source.token()).expect(200).json();
    assertThat(filed.getInteger("filed")).isEqualTo(2);
    assertThat(filed.getBoolean("limitReached")).isFalse();
    JsonArray received = w.http.get("/api/v1/objections?role=provider&status=OPEN").as(holder.token()).expect(200).items();
    assertThat(received.stream().map(o -> ((JsonObject) o).getString("key") + ":" + ((JsonObject) o).getString("proposedValue")))
        .containsExactlyInAnyOrder("P2:乙", "P4:丁");
    assertThat(received.stream().map(o -> ((JsonObject) o).getString("consumer"))).containsOnly(source.department());
    assertThat(received.stream().map(o -> ((JsonObject) o).getString("crosscheck"))).containsOnly(id);
    assertThat(w.read(copy, "P2").as(w.party("ZJ", "CONSUMER").token()).expect(200).json().getJsonArray("underVerification"))
        .containsExactly("name");
    assertThat(w.http.post(file, new JsonObject()).as(source.token()).expect(200).json().getInteger("filed")).isZero();
    assertThat(w.kinds(holder, id)).containsExactly("CROSSCHECK_OBJECTIONS_FILED");
    assertThat(w.kinds(source, id)).containsExactly("CROSSCHECK_DONE");

    // the holder corrects one; a new run finds one mismatch left
    String p2 = received.stream().map(o -> (JsonObject) o).filter(o -> "P2".equals(o.getString("key"))).findFirst().orElseThrow()
        .getString("id");
    w.answer(p2, new JsonObject().put("outcome", "CORRECTED").put("note", "按权威来源更正").put("correctedValue", "乙")).as(holder.token())
        .expect(200);
    JsonObject again = awaitEnd(w.http.post("/api/v1/crosschecks", start).as(w.admin().token()).expect(201).json().getString("id"), source);
    assertThat(copy(again, copy).getLong("mismatches")).isEqualTo(1);

    List<JsonObject> runs = w.audit(src, "CROSSCHECK_RUN");
    assertThat(runs.stream().filter(r -> id.equals(r.getString("subject"))).map(r -> r.getJsonObject("detail").getString("status")))
        .containsExactly("DONE", "RUNNING");
    assertThat(w.audit(src, "CROSSCHECK_READ")).isNotEmpty();
    assertThat(w.audit(copy, "OBJECTION_FILE").stream().filter(r -> "OK".equals(r.getString("outcome"))))
        .hasSize(2).allSatisfy(r -> assertThat(r.getJsonObject("detail").getMap()).containsEntry("consumer", source.department())
            .containsEntry("provider", holder.department()).containsEntry("item", "name"));
  }

  @Test
  void crosscheck_overManyRecords_goesChunkByChunk_withProgressVisible() {
    try (TestServer server = TestServer.start(Map.of("crosscheck.chunk-rows", "500"))) {
      ObjectionWorld big = new ObjectionWorld(server);
      Party source = big.party("GA", "PROVIDER");
      Party holder = big.party("MZ", "PROVIDER");
      String keyElement = ObjectionWorld.element("pid");
      String nameElement = ObjectionWorld.element("name");
      String src = big.persons(source, keyElement, nameElement, null);
      String copy = big.persons(holder, keyElement, nameElement, src);
      int n = 20_000;
      List<String> sourceLines = new ArrayList<>(n);
      List<String> copyLines = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        String pid = String.format("Q%06d", i);
        sourceLines.add(person(pid, "居民" + i, "1", 1));
        copyLines.add(person(pid, i % 100 == 7 ? "错误" + i : "居民" + i, "1", 1));
      }
      big.upload(source, src, sourceLines);
      big.upload(holder, copy, copyLines);

      String id = big.http.post("/api/v1/crosschecks", new JsonObject().put("element", nameElement)).as(source.token()).expect(201).json()
          .getString("id");
      List<Long> whileRunning = new ArrayList<>();
      JsonObject last;
      long until = System.currentTimeMillis() + 120_000;
      do {
        last = big.http.get("/api/v1/crosschecks/" + id).as(source.token()).expect(200).json();
        if ("RUNNING".equals(last.getString("status"))) {
          whileRunning.add(last.getLong("compared"));
        }
      } while ("RUNNING".equals(last.getString("status")) && System.currentTimeMillis() < until);

      assertThat(last.getString("status")).isEqualTo("DONE");
      JsonObject compared = copy(last, copy);
      assertThat(compared.getLong("compared")).isEqualTo(n);
      assertThat(compared.getLong("mismatches")).isEqualTo(n / 100);
      assertThat(compared.getJsonArray("samples")).hasSize(20);
      assertThat(compared.getJsonArray("samples").getJsonObject(0).getString("key")).isEqualTo("Q000007");
      // progress was written chunk by chunk: the run was seen part way, counts only growing
      assertThat(whileRunning).anyMatch(c -> c > 0 && c < n);
      assertThat(whileRunning).isSorted();
    }
  }

  private JsonObject awaitEnd(String id, Party reader) {
    long until = System.currentTimeMillis() + 60_000;
    JsonObject c;
    do {
      c = w.http.get("/api/v1/crosschecks/" + id).as(reader.token()).expect(200).json();
      if (!"RUNNING".equals(c.getString("status"))) {
        return c;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    } while (System.currentTimeMillis() < until);
    throw new AssertionError("cross-check " + id + " still running: " + c.encode());
  }

  private static JsonObject copy(JsonObject check, String resource) {
    return check.getJsonArray("copies").stream().map(c -> (JsonObject) c).filter(c -> resource.equals(c.getString("resource")))
        .findFirst().orElseThrow(() -> new AssertionError(resource + " not among the copies of " + check.encode()));
  }
}
