package org.govshare.sharing;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.govshare.testing.Http;
import org.govshare.testing.TestServer;
import org.govshare.testing.TestServer.Client;
import org.junit.jupiter.api.Test;

class CalendarIT {
  private final TestServer server = TestServer.shared();
  private final Http http = server.http();

  /** 2031 ships no file: a seven-day National Day block with two make-up Saturdays/Sundays, as the State Council arranges it. */
  private static JsonObject goldenWeek2031() {
    JsonArray holidays = new JsonArray();
    for (int d = 1; d <= 7; d++) {
      holidays.add("2031-10-0" + d);
    }
    return new JsonObject().put("holidays", holidays.add("2031-01-01"))
        .put("workdays", new JsonArray().add("2031-09-28").add("2031-10-11"))
        .put("source", "test arrangement for 2031");
  }

  @Test
  void bureauSetsAYear_andDeadlinesCrossTheHolidayAndMakeUpDays() {
    String any = server.tokenFor(server.client(server.department("CAL"), "CONSUMER"));
    JsonObject before = http.get("/api/v1/calendar/2031").as(any).expect(200).json();
    assertThat(before.getString("origin")).isEqualTo("NONE");
    assertThat(before.getString("warning")).contains("plain Monday-Friday");
    JsonObject plain = http.get("/api/v1/calendar/deadline?from=2031-09-30&workingDays=5").as(any).expect(200).json();
    assertThat(plain.getString("deadline")).isEqualTo("2031-10-07");
    assertThat(plain.getJsonArray("warnings").encode()).contains("2031");

    JsonObject set = http.put("/api/v1/calendar/2031", goldenWeek2031()).as(server.adminToken()).expect(200).json();
    assertThat(set.getString("origin")).isEqualTo("BUREAU");
    assertThat(set.getJsonArray("holidays")).hasSize(8);
    assertThat(set.getJsonArray("workdays").getList()).containsExactly("2031-09-28", "2031-10-11");

    JsonObject got = http.get("/api/v1/calendar/2031").as(any).expect(200).json();
    assertThat(got.getString("source")).isEqualTo("test arrangement for 2031");
    assertThat(got.getString("setBy")).isEqualTo("admin");

    // Tue 30 Sep 2031: 1-7 Oct off, Wed 8 .. Fri 10 count 1-3, Sat 11 is a make-up day (4), Mon 13 is the 5th
    JsonObject across = http.get("/api/v1/calendar/deadline?from=2031-09-30&workingDays=5").as(any).expect(200).json();
    assertThat(across.getString("deadline")).isEqualTo("2031-10-13");
    assertThat(across.containsKey("warnings")).isFalse();
    // Fri 26 Sep: Sun 28 is a make-up day (1), Mon 29 (2), Tue 30 (3), then the holiday, Wed 8 Oct (4), Thu 9 (5)
    assertThat(http.get("/api/v1/calendar/deadline?from=2031-09-26&workingDays=5").as(any).expect(200).json().getString("deadline"))
        .isEqualTo("2031-10-09");
    // a deadline asked on the first day of the holiday starts counting after it
    assertThat(http.get("/api/v1/calendar/deadline?from=2031-10-01&workingDays=1").as(any).expect(200).json().getString("deadline"))
        .isEqualTo("2031-10-08");
  }

  @Test
  void shippedYears_areServedWithTheirSource() {
    String any = server.tokenFor(server.client(server.department("CAL"), "PROVIDER"));
    JsonObject y2025 = http.get("/api/v1/calendar/2025").as(any).expect(200).json();
    assertThat(y2025.getString("origin")).isIn("SHIPPED", "BUREAU");
    assertThat(y2025.getString("source")).contains("国办发明电");
    // Spring Festival 2025: 28 Jan - 4 Feb off, Sat 8 Feb a make-up day
    assertThat(http.get("/api/v1/calendar/deadline?from=2025-01-27&workingDays=2").as(any).expect(200).json().getString("deadline"))
        .isEqualTo("2025-02-06");
  }

  @Test
  void refusals() {
    Client consumer = server.client(server.department("CAL"), "CONSUMER", "DEPT_ADMIN");
    String token = server.tokenFor(consumer);
    http.put("/api/v1/calendar/2032", goldenWeek2031()).as(token).expectProblem(403, "FORBIDDEN");
    JsonObject wrongYear = http.put("/api/v1/calendar/2032", goldenWeek2031()).as(server.adminToken())
        .expectProblem(422, "VALIDATION_FAILED").json();
    assertThat(wrongYear.getString("detail")).contains("not in 2032");
    JsonObject weekday = http.put("/api/v1/calendar/2032", new JsonObject().put("holidays", new JsonArray())
        .put("workdays", new JsonArray().add("2032-10-12"))).as(server.adminToken()).expectProblem(422, "VALIDATION_FAILED").json();
    assertThat(weekday.getJsonArray("errors").getJsonObject(0).getString("field")).isEqualTo("workdays");
    http.put("/api/v1/calendar/2032", new JsonObject().put("holidays", new JsonArray().add("1 Oct"))
        .put("workdays", new JsonArray())).as(server.adminToken()).expectProblem(400, "VALIDATION_FAILED");
    http.get("/api/v1/calendar/deadline?from=2031-09-30").as(token).expectProblem(400, "VALIDATION_FAILED");
    http.get("/api/v1/calendar/deadline?from=yesterday&workingDays=3").as(token).expectProblem(400, "VALIDATION_FAILED");
    http.get("/api/v1/calendar/deadline?from=2031-09-30&workingDays=0").as(token).expectProblem(400, "VALIDATION_FAILED");
    http.get("/api/v1/calendar/1800").as(token).expectProblem(400, "VALIDATION_FAILED");
    http.get("/api/v1/calendar/2031").expectProblem(401, "UNAUTHENTICATED");
  }

  @Test
  void aYearSetOnOneInstance_reachesAnotherWithinAPoll_andEveryLaterStart() throws Exception {
    try (TestServer other = server.secondInstance(java.util.Map.of("sharing.poll-ms", "200"))) {
      String token = other.tokenFor(other.client(other.department("CAL"), "CONSUMER"));
      String ask = "/api/v1/calendar/deadline?from=2033-09-30&workingDays=5";
      assertThat(other.http().get(ask).as(token).expect(200).json().getString("deadline")).isEqualTo("2033-10-07");
      JsonObject y2033 = new JsonObject().put("holidays", new JsonArray().add("2033-10-03").add("2033-10-04"))
          .put("workdays", new JsonArray().add("2033-10-08"));
      http.put("/api/v1/calendar/2033", y2033).as(server.adminToken()).expect(200);
      long deadline = System.currentTimeMillis() + 3_000;
      String answer;
      do {
        Thread.sleep(100);
        answer = other.http().get(ask).as(token).expect(200).json().getString("deadline");
      } while (!"2033-10-10".equals(answer) && System.currentTimeMillis() < deadline);
      // from Fri 30 Sep: Mon 3 and Tue 4 off, Wed 5, Thu 6, Fri 7, Sat 8 (make-up), Mon 10
      assertThat(answer).isEqualTo("2033-10-10");
    }
    try (TestServer later = server.secondInstance(java.util.Map.of())) {
      String token = later.tokenFor(later.client(later.department("CAL"), "CONSUMER"));
      JsonObject year = later.http().get("/api/v1/calendar/2033").as(token).expect(200).json();
      assertThat(year.getString("origin")).isEqualTo("BUREAU");
      assertThat(year.getJsonArray("workdays").getList()).containsExactly("2033-10-08");
    }
  }

  @Test
  void replacingAYear_movesTheDeadlinesOfPendingApplications() {
    SharingWorld world = new SharingWorld();
    SharingWorld.Party provider = world.party("CALP", "PROVIDER");
    SharingWorld.Party consumer = world.party("CALC", "CONSUMER");
    String code = world.resource(provider, "CONDITIONAL", "k=CONDITIONAL");
    JsonObject applied = world.apply(consumer, code, "k");
    String today = SharingWorld.today().toString();
    String nextWorkingDay = http.get("/api/v1/calendar/deadline?from=" + today + "&workingDays=1").as(consumer.token()).expect(200)
        .json().getString("deadline");
    int year = Integer.parseInt(nextWorkingDay.substring(0, 4));
    JsonObject original = http.get("/api/v1/calendar/" + year).as(consumer.token()).expect(200).json();
    try {
      // the bureau declares the next working day a holiday: the clock now ends one working day later
      JsonObject changed = new JsonObject().put("holidays", original.getJsonArray("holidays").copy().add(nextWorkingDay))
          .put("workdays", original.getJsonArray("workdays")).put("source", original.getString("source"));
      JsonObject set = http.put("/api/v1/calendar/" + year, changed).as(server.adminToken()).expect(200).json();
      assertThat(set.getInteger("deadlinesMoved")).isGreaterThanOrEqualTo(1);
      String expected = http.get("/api/v1/calendar/deadline?from=" + today + "&workingDays=5").as(consumer.token()).expect(200)
          .json().getString("deadline");
      JsonObject moved = http.get("/api/v1/applications/" + applied.getString("id")).as(consumer.token()).expect(200).json();
      assertThat(moved.getString("decisionDue")).isEqualTo(expected + "T23:59:59+08:00").isNotEqualTo(applied.getString("decisionDue"));
      assertThat(moved.getJsonArray("history").stream().map(e -> ((JsonObject) e).getString("event")).toList())
          .containsExactly("SUBMITTED", "DEADLINE_MOVED");
      assertThat(world.auditActions(world.bureauAuditor(), code)).containsSubsequence("APPLICATION_SUBMIT:OK",
          "APPLICATION_DEADLINE_MOVED:OK");
    } finally {
      http.put("/api/v1/calendar/" + year, new JsonObject().put("holidays", original.getJsonArray("holidays"))
          .put("workdays", original.getJsonArray("workdays")).put("source", original.getString("source"))).as(server.adminToken())
          .expect(200);
    }
    assertThat(http.get("/api/v1/applications/" + applied.getString("id")).as(consumer.token()).expect(200).json()
        .getString("decisionDue")).isEqualTo(applied.getString("decisionDue"));
  }

  @Test
  void readiness_reportsTheCalendar() {
    JsonObject ready = http.get("/health/ready").expect(200).json();
    JsonObject calendar = ready.getJsonObject("checks").getJsonObject("calendar");
    assertThat(calendar.getString("status")).isEqualTo("UP");
    assertThat(calendar.getJsonArray("years").getList()).contains(2024, 2025, 2026);
  }
}
