package org.govshare.supervision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.govshare.kernel.AuditAction;
import org.govshare.kernel.AuditEntry;
import org.govshare.kernel.Outcome;
import org.govshare.testing.CatalogEntries;
import org.govshare.testing.Http;
import org.govshare.testing.TestClock;
import org.govshare.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A year of one county replayed, then read back as the bureau and the departments would. The
 * replay: entries, records, applications and decisions made over HTTP and moved into last year
 * with SQL (as the sharing tests age applications); data calls, updates and objections appended
 * to the audit log at last year's times through the audit writer (as the objection capability
 * writes them). Every expected figure below is counted by hand from that replay.
 * A server of its own: the evaluation ranks every department of the database.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SupervisionIT {
  static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
  static final int Y = LocalDate.now(ZONE).getYear() - 1;
  static final String NARRATIVE = "=HYPERLINK(\"http://evil.example/\",\"x\")\n<script>alert('x')</script> 本年度共享资源三项，按期更新。";
  private static final AtomicInteger REQUESTS = new AtomicInteger();

  final TestClock clock = new TestClock();
  TestServer server;
  Http http;
  String p, c, q;
  String pProvider, pAdmin, cConsumer, cAdmin, qConsumer, qAdmin, auditor;
  String r1, r2, r3;

  @BeforeAll
  void replayAYear() {
    server = TestServer.start(Map.of(), clock);
    http = server.http();
    p = server.department("GAJ");
    c = server.department("RSJ");
    q = server.department("MZJ");
    pProvider = token(p, "PROVIDER");
    pAdmin = token(p, "DEPT_ADMIN");
    cConsumer = token(c, "CONSUMER");
    cAdmin = token(c, "DEPT_ADMIN");
    qConsumer = token(q, "CONSUMER");
    qAdmin = token(q, "DEPT_ADMIN");
    auditor = token("BUREAU", "AUDITOR");
    sql("UPDATE department SET created_at = $2 WHERE code = ANY($1)", Tuple.of(new String[] {p, c, q}, local(Y - 1, 12, 1, 9, 0)));

    // the catalogue: MONTHLY conditional (3 items), QUARTERLY unconditional from 1 April (2 items), IRREGULAR not shared (2 items)
    r1 = resource("CONDITIONAL", "MONTHLY", local(Y - 1, 12, 15, 10, 0), "name", "income");
    r2 = resource("UNCONDITIONAL", "QUARTERLY", local(Y, 4, 1, 0, 0), "name");
    r3 = resource("NOT_SHARED", "IRREGULAR", local(Y - 1, 6, 1, 10, 0), "name");
    upload(r1, "{\"id_number\":\"k1\",\"name\":\"张三\",\"income\":1200}\n{\"id_number\":\"k2\",\"name\":\"李四\",\"income\":900}\n");
    upload(r2, "{\"id_number\":\"m1\",\"name\":\"王五\"}\n");
    sql("UPDATE data_change SET at = $2 WHERE resource = ANY($1)", Tuple.of(new String[] {r1, r2}, local(Y, 6, 1, 12, 0)));
    http.delete("/api/v1/resources/" + enc(r1) + "/records/k2").as(pProvider).expect(204); // this year: last year still had it

    // updates: R1 in Jan (twice), Feb, Mar, May, Jul, Aug, Sep, Nov; 00:30 on 1 January after the year is not December's
    for (LocalDateTime t : List.of(ldt(Y, 1, 3, 9, 0), ldt(Y, 1, 20, 9, 0), ldt(Y, 2, 1, 0, 0), ldt(Y, 3, 31, 23, 59), ldt(Y, 5, 5, 9, 0),
        ldt(Y, 7, 7, 9, 0), ldt(Y, 8, 8, 9, 0), ldt(Y, 9, 9, 9, 0), ldt(Y, 11, 11, 9, 0), ldt(Y + 1, 1, 1, 0, 30))) {
      audit(t, p, AuditAction.DATA_INGEST, r1, Outcome.OK, new JsonObject().put("rows", 10));
    }
    audit(ldt(Y, 4, 10, 9, 0), p, AuditAction.DATA_INGEST, r1, Outcome.DENIED, new JsonObject().put("status", 409)); // not an update
    // R2: Q2, and 00:10 local on 1 July is Q3 (16:10 UTC on 30 June): on time for Q3, not Q2; nothing in Q4
    audit(ldt(Y, 5, 10, 9, 0), p, AuditAction.DATA_INGEST, r2, Outcome.OK, new JsonObject().put("rows", 1));
    audit(ldt(Y, 7, 1, 0, 10), p, AuditAction.DATA_DELETE, r2, Outcome.OK, new JsonObject().put("seq", 2));

    // data calls on R1 by C: 8 served (one at the first instant of the year), 1 refused, 1 failed; two just outside the year
    audit(ldt(Y, 1, 1, 0, 0), c, AuditAction.DATA_READ, r1, Outcome.OK, new JsonObject());
    for (int i = 1; i <= 5; i++) {
      audit(ldt(Y, i * 2, 3, 10, 0), c, AuditAction.DATA_READ, r1, Outcome.OK, new JsonObject());
    }
    audit(ldt(Y, 6, 6, 10, 0), c, AuditAction.DATA_LOOKUP, r1, Outcome.OK, new JsonObject());
    audit(ldt(Y, 6, 7, 10, 0), c, AuditAction.DATA_LOOKUP, r1, Outcome.OK, new JsonObject());
    audit(ldt(Y, 6, 8, 10, 0), c, AuditAction.DATA_VERIFY, r1, Outcome.DENIED, new JsonObject().put("status", 403));
    audit(ldt(Y, 6, 9, 10, 0), c, AuditAction.DATA_READ, r1, Outcome.FAILED, new JsonObject().put("status", 500));
    audit(ldt(Y - 1, 12, 31, 23, 59), c, AuditAction.DATA_READ, r1, Outcome.OK, new JsonObject());
    audit(ldt(Y + 1, 1, 1, 0, 0), c, AuditAction.DATA_READ, r1, Outcome.OK, new JsonObject());
    // the provider reading its own resource is neither provision nor use
    for (int i = 0; i < 3; i++) {
      audit(ldt(Y, 3, 3, 10, i), p, AuditAction.DATA_READ, r1, Outcome.OK, new JsonObject());
    }

    // objections on P's data, filed by C: 3 filed, 2 answered (2 and 6 working days), 1 flagged overdue
    for (LocalDateTime t : List.of(ldt(Y, 2, 1, 9, 0), ldt(Y, 5, 1, 9, 0), ldt(Y, 11, 20, 9, 0))) {
      audit(t, c, AuditAction.OBJECTION_FILE, r1, Outcome.OK, objection().put("item", "income"));
    }
    audit(ldt(Y, 2, 4, 9, 0), p, AuditAction.OBJECTION_ANSWER, r1, Outcome.OK,
        objection().put("outcome", "CORRECTED").put("answerWorkingDays", 2));
    audit(ldt(Y, 5, 12, 9, 0), p, AuditAction.OBJECTION_ANSWER, r1, Outcome.OK,
        objection().put("outcome", "CONFIRMED").put("answerWorkingDays", 6));
    audit(ldt(Y, 11, 28, 9, 0), null, AuditAction.OBJECTION_OVERDUE, r1, Outcome.OK, new JsonObject().put("provider", p).put("consumer", c));

    // applications to R1: C approved in 2 working days; Q rejected late (8); Q again, still pending past its clock
    String a1 = apply(cConsumer, r1);
    decide(a1, new JsonObject().put("decision", "APPROVE"));
    String a2 = apply(qConsumer, r1);
    decide(a2, new JsonObject().put("decision", "REJECT").put("reason", "申请用途与所需数据项不符，请补充说明用途"));
    String a3 = apply(qConsumer, r1);
    age(a1, local(Y, 3, 3, 10, 0), local(Y, 3, 10, 10, 0), local(Y, 3, 5, 10, 0), 2);
    age(a2, local(Y, 6, 2, 10, 0), local(Y, 6, 9, 10, 0), local(Y, 6, 12, 10, 0), 8);
    age(a3, local(Y, 12, 20, 10, 0), local(Y, 12, 26, 10, 0), null, null);
  }

  @AfterAll
  void stop() {
    server.close();
  }

  @Test
  @Order(1)
  void statistics_ofTheReplayedYear_areTheOnesCountedByHand() {
    JsonObject s = http.get("/api/v1/statistics?department=" + p + "&year=" + Y).as(auditor).expect(200).json();
    assertThat(s.getString("department")).isEqualTo(p);
    assertThat(s.getInteger("year")).isEqualTo(Y);
    assertThat(OffsetDateTime.parse(s.getString("asOf")).toInstant()).isEqualTo(local(Y + 1, 1, 1, 0, 0).toInstant());

    JsonObject catalogue = s.getJsonObject("catalogue");
    assertThat(catalogue.getLong("resources")).isEqualTo(3);
    assertThat(catalogue.getJsonObject("resourcesByShareType").getMap())
        .containsEntry("UNCONDITIONAL", 1).containsEntry("CONDITIONAL", 1).containsEntry("NOT_SHARED", 1);
    assertThat(catalogue.getLong("items")).isEqualTo(7);
    assertThat(catalogue.getLong("records")).as("k1, k2, m1 at the year's end; k2 was deleted after it").isEqualTo(3);

    JsonObject freshness = s.getJsonObject("provision").getJsonObject("freshness");
    assertThat(freshness.getLong("duePeriods")).as("12 months of R1, Q2-Q4 of R2, R3 irregular").isEqualTo(15);
    assertThat(freshness.getLong("onTime")).isEqualTo(10);
    assertThat(freshness.getDouble("rate")).isEqualTo(0.6667);
    JsonArray perResource = freshness.getJsonArray("resources");
    assertThat(perResource.stream().map(o -> ((JsonObject) o).getString("resource") + ":" + ((JsonObject) o).getLong("duePeriods") + "/"
        + ((JsonObject) o).getLong("onTime")).toList()).containsExactlyInAnyOrder(r1 + ":12/8", r2 + ":3/2");

    assertThat(s.getJsonObject("provision").getJsonObject("calls").getMap())
        .containsEntry("made", 10).containsEntry("served", 8).containsEntry("refused", 1).containsEntry("failed", 1);
    assertThat(s.getJsonObject("use").getLong("made")).as("its own reads are not use").isZero();

    JsonObject apps = s.getJsonObject("applications");
    assertThat(apps.getLong("received")).isEqualTo(3);
    assertThat(apps.getLong("approved")).isEqualTo(1);
    assertThat(apps.getLong("rejected")).isEqualTo(1);
    assertThat(apps.getLong("pending")).isEqualTo(1);
    assertThat(apps.getLong("overdue")).as("decided late, and pending past its clock").isEqualTo(2);
    assertThat(apps.getJsonObject("decisionWorkingDays").getDouble("mean")).isEqualTo(5.0);
    assertThat(apps.getJsonObject("decisionWorkingDays").getInteger("max")).isEqualTo(8);

    JsonObject objections = s.getJsonObject("objections");
    assertThat(objections.getLong("filed")).isZero();
    assertThat(objections.getLong("received")).isEqualTo(3);
    assertThat(objections.getLong("answered")).isEqualTo(2);
    assertThat(objections.getLong("corrected")).isEqualTo(1);
    assertThat(objections.getLong("confirmed")).isEqualTo(1);
    assertThat(objections.getLong("overdue")).isEqualTo(1);
    assertThat(objections.getJsonObject("answerWorkingDays").getDouble("mean")).isEqualTo(4.0);
    assertThat(objections.getJsonObject("answerWorkingDays").getInteger("max")).isEqualTo(6);

    JsonObject consumer = http.get("/api/v1/statistics?department=" + c + "&year=" + Y).as(cAdmin).expect(200).json();
    assertThat(consumer.getJsonObject("use").getMap()).containsEntry("made", 10).containsEntry("served", 8).containsEntry("refused", 1)
        .containsEntry("failed", 1).containsEntry("applicationsSubmitted", 1);
    assertThat(consumer.getJsonObject("objections").getLong("filed")).isEqualTo(3);
    assertThat(consumer.getJsonObject("catalogue").getLong("resources")).isZero();
  }

  @Test
  @Order(2)
  void statistics_ofTheCurrentYear_countCallsMadeOverHttpNow() {
    http.get("/api/v1/data/" + enc(r1) + "/records/k1").as(cConsumer).expect(200);
    int year = Y + 1;
    JsonObject s = http.get("/api/v1/statistics?department=" + c + "&year=" + year).as(auditor).expect(200).json();
    // the read just made, and the replayed one at 00:00 on 1 January: the first instant of this year
    assertThat(s.getJsonObject("use").getLong("served")).isEqualTo(2);
    JsonObject provider = http.get("/api/v1/statistics?department=" + p + "&year=" + year).as(pAdmin).expect(200).json();
    assertThat(provider.getJsonObject("provision").getJsonObject("calls").getLong("served")).isEqualTo(2);
    assertThat(provider.getJsonObject("catalogue").getLong("records")).as("k2 deleted this year").isEqualTo(2);
  }

  @Test
  @Order(3)
  void statistics_refuseOthersUnknownDepartmentsAndBadYears() {
    http.get("/api/v1/statistics?department=" + p + "&year=" + Y).as(pProvider).expectProblem(403, "FORBIDDEN");
    http.get("/api/v1/statistics?department=" + p + "&year=" + Y).as(cAdmin).expectProblem(403, "FORBIDDEN");
    http.get("/api/v1/statistics?department=NOPE-" + System.nanoTime() + "&year=" + Y).as(cAdmin).expectProblem(403, "FORBIDDEN");
    http.get("/api/v1/statistics?department=NOPE-" + System.nanoTime() + "&year=" + Y).as(server.adminToken()).expectProblem(404, "NOT_FOUND");
    http.get("/api/v1/statistics?department=" + p + "&year=1999").as(auditor).expect(400);
    http.get("/api/v1/statistics?department=" + p + "&year=" + (Y + 2)).as(auditor).expect(400);
    http.get("/api/v1/statistics?department=" + p + "&year=abcd").as(auditor).expect(400);
    http.get("/api/v1/statistics?department=" + p).as(auditor).expect(400);
    http.get("/api/v1/statistics?department=" + p + "&year=" + Y).expect(401);
  }

  @Test
  @Order(4)
  void evaluation_ranksTheDepartments_andEachScoreFollowsTheDocumentedFormula() {
    JsonObject table = http.get("/api/v1/evaluations/" + Y).as(auditor).expect(200).json();
    JsonArray items = table.getJsonArray("items");
    assertThat(items.stream().map(o -> ((JsonObject) o).getString("department")).toList()).containsExactly(p, c, q);
    assertThat(items.stream().map(o -> ((JsonObject) o).getInteger("rank")).toList()).containsExactly(1, 2, 3);
    JsonObject weights = table.getJsonObject("method").getJsonObject("weights");
    assertThat(weights.getMap().values().stream().mapToInt(v -> (Integer) v).sum()).isEqualTo(100);

    // by hand, from the statistics and the weights, as docs/supervision.md writes the formula
    JsonObject s = http.get("/api/v1/statistics?department=" + p + "&year=" + Y).as(auditor).expect(200).json();
    JsonObject cat = s.getJsonObject("catalogue");
    JsonObject byType = cat.getJsonObject("resourcesByShareType");
    JsonObject fresh = s.getJsonObject("provision").getJsonObject("freshness");
    JsonObject prov = s.getJsonObject("provision").getJsonObject("calls");
    JsonObject apps = s.getJsonObject("applications");
    JsonObject obj = s.getJsonObject("objections");
    JsonObject use = s.getJsonObject("use");
    double[][] parts = {
        {weights.getInteger("catalogue"), 100.0 * (byType.getLong("UNCONDITIONAL") + byType.getLong("CONDITIONAL")) / cat.getLong("resources")},
        {weights.getInteger("freshness"), 100.0 * fresh.getLong("onTime") / fresh.getLong("duePeriods")},
        {weights.getInteger("provision"), 100.0 * prov.getLong("served") / prov.getLong("made")},
        {weights.getInteger("decisions"), 100.0 * (apps.getLong("received") - apps.getLong("overdue")) / apps.getLong("received")},
        {weights.getInteger("objections"), 100.0 * (obj.getLong("received") - obj.getLong("overdue")) / obj.getLong("received")},
        {weights.getInteger("use"), use.getLong("made") == 0 ? 0 : 100.0 * use.getLong("served") / use.getLong("made")}};
    double sum = 0;
    double w = 0;
    for (double[] part : parts) {
      sum += part[0] * part[1];
      w += part[0];
    }
    double byHand = sum / w;
    // with the shipped weights: (20·66.67 + 20·66.67 + 15·80 + 20·33.33 + 10·66.67 + 15·0) / 100
    assertThat(byHand).isCloseTo(52.0, within(0.01));
    assertThat(items.getJsonObject(0).getDouble("score")).isCloseTo(byHand, within(0.005));
    // C: only catalogue (0, it has none) and use (80) apply: (20·0 + 15·80) / 35
    assertThat(items.getJsonObject(1).getDouble("score")).isCloseTo(1200.0 / 35, within(0.005));
    assertThat(items.getJsonObject(1).getJsonObject("indicators").getValue("freshness")).isNull();

    JsonObject mine = http.get("/api/v1/evaluations/" + Y + "/" + c).as(cAdmin).expect(200).json();
    assertThat(mine.getInteger("rank")).isEqualTo(2);
    assertThat(mine.getInteger("of")).isEqualTo(3);
    JsonObject useBreakdown = mine.getJsonObject("indicators").getJsonObject("use");
    assertThat(useBreakdown.getMap()).containsEntry("numerator", 8).containsEntry("denominator", 10).containsEntry("applies", true);
    assertThat(mine.getJsonObject("indicators").getJsonObject("decisions").getBoolean("applies")).isFalse();

    http.get("/api/v1/evaluations/" + Y).as(pAdmin).expectProblem(403, "FORBIDDEN");
    http.get("/api/v1/evaluations/" + Y + "/" + p).as(cAdmin).expectProblem(403, "FORBIDDEN");
    http.get("/api/v1/evaluations/" + Y + "/BUREAU").as(auditor).expectProblem(404, "NOT_FOUND");
  }

  @Test
  @Order(5)
  void reports_onTimeUntilTheEndOf5January_lateAfter_andTheBureauSeesWhoIsMissing() {
    try {
      clock.set(local(Y + 1, 1, 5, 23, 59).toInstant());
      Http.Reply onTime = http.post("/api/v1/reports", new JsonObject().put("year", Y).put("narrative", NARRATIVE)).as(pAdmin).expect(201);
      assertThat(onTime.header("Location")).isEqualTo("/api/v1/reports/" + p + "/" + Y);
      JsonObject report = onTime.json();
      assertThat(report.getBoolean("late")).isFalse();
      assertThat(report.getJsonObject("statistics").getJsonObject("provision").getJsonObject("freshness").getLong("onTime")).isEqualTo(10);
      assertThat(report.getJsonObject("statistics").getJsonObject("applications").getLong("received")).isEqualTo(3);

      clock.set(local(Y + 1, 1, 6, 0, 0).toInstant().plusSeconds(1));
      JsonObject late = http.post("/api/v1/reports", new JsonObject().put("year", Y).put("narrative", "本年度使用共享数据核验社保待遇。"))
          .as(cAdmin).expect(201).json();
      assertThat(late.getBoolean("late")).isTrue();

      http.post("/api/v1/reports", new JsonObject().put("year", Y).put("narrative", "第二份报告")).as(pAdmin).expectProblem(409, "CONFLICT");
      http.post("/api/v1/reports", new JsonObject().put("year", Y + 1).put("narrative", "本年尚未结束")).as(qAdmin).expect(422);
      http.post("/api/v1/reports", new JsonObject().put("year", Y).put("narrative", "不是管理员")).as(qConsumer).expectProblem(403, "FORBIDDEN");
      http.post("/api/v1/reports", new JsonObject().put("year", Y).put("narrative", "")).as(qAdmin).expect(400);
    } finally {
      clock.reset();
    }
    JsonObject all = http.get("/api/v1/reports?year=" + Y).as(auditor).expect(200).json();
    assertThat(all.getJsonArray("items").stream().map(o -> ((JsonObject) o).getString("department") + ":" + ((JsonObject) o).getBoolean("late"))
        .toList()).containsExactly(p + ":false", c + ":true");
    assertThat(all.getJsonArray("missing").getList()).containsExactly(q);
    JsonObject own = http.get("/api/v1/reports?year=" + Y).as(qAdmin).expect(200).json();
    assertThat(own.getJsonArray("items")).isEmpty();
    assertThat(own.getJsonArray("missing").getList()).containsExactly(q);
    assertThat(http.get("/api/v1/reports?year=" + Y).as(pAdmin).expect(200).json().getJsonArray("items").size()).isEqualTo(1);
    http.get("/api/v1/reports?year=" + Y).as(qConsumer).expectProblem(403, "FORBIDDEN");
    http.get("/api/v1/reports/" + q + "/" + Y).as(auditor).expectProblem(404, "NOT_FOUND");
    http.get("/api/v1/reports/" + p + "/" + Y).as(cAdmin).expectProblem(403, "FORBIDDEN");
  }

  @Test
  @Order(6)
  void reportExports_neutraliseFormulasInCsv_andEscapeHtml() throws Exception {
    Http.Reply csv = http.get("/api/v1/reports/" + p + "/" + Y).as(pAdmin).header("Accept", "text/csv").expect(200);
    assertThat(csv.header("Content-Type")).startsWith("text/csv");
    assertThat(csv.body()).startsWith("\uFEFF");
    List<CSVRecord> rows = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
        .parse(new StringReader(csv.body().substring(1))).getRecords();
    CSVRecord narrative = rows.stream().filter(r -> r.get("figure").equals("narrative")).findFirst().orElseThrow();
    assertThat(narrative.get("value")).isEqualTo("'" + NARRATIVE);
    assertThat(rows.stream().filter(r -> r.get("section").equals("applications") && r.get("figure").equals("received"))
        .findFirst().orElseThrow().get("value")).isEqualTo("3");
    assertThat(rows.stream().filter(r -> r.get("value").startsWith("=") || r.get("value").startsWith("@")).toList()).isEmpty();

    Http.Reply html = http.get("/api/v1/reports/" + p + "/" + Y).as(auditor).header("Accept", "text/html").expect(200);
    assertThat(html.header("Content-Type")).startsWith("text/html");
    assertThat(html.header("Content-Security-Policy")).contains("default-src 'none'");
    assertThat(html.body()).doesNotContain("<script>").contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;")
        .contains("=HYPERLINK(&quot;http://evil.example/&quot;").contains("@page");

    JsonObject json = http.get("/api/v1/reports/" + p + "/" + Y).as(auditor).expect(200).json();
    assertThat(json.getString("narrative")).isEqualTo(NARRATIVE);
  }

  @Test
  @Order(7)
  void charts_areImagesDrawnFromTheYear() throws Exception {
    for (String name : List.of("calls-per-day", "overdue", "freshness")) {
      Http.Reply svg = http.get("/api/v1/charts/" + name + "?year=" + Y).as(auditor).expect(200);
      assertThat(svg.header("Content-Type")).startsWith("image/svg+xml");
      DocumentBuilderFactory xml = DocumentBuilderFactory.newInstance();
      xml.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false); // no network here
      var doc = xml.newDocumentBuilder()
          .parse(new ByteArrayInputStream(svg.body().getBytes(StandardCharsets.UTF_8)));
      assertThat(doc.getDocumentElement().getLocalName() == null ? doc.getDocumentElement().getTagName()
          : doc.getDocumentElement().getLocalName()).isEqualTo("svg");
    }
    assertThat(http.get("/api/v1/charts/freshness?year=" + Y).as(auditor).expect(200).body()).contains(p);
    HttpResponse<byte[]> png = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create(server.baseUrl() + "/api/v1/charts/overdue?year=" + Y + "&format=png"))
        .header("Authorization", "Bearer " + server.adminToken()).build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(png.statusCode()).isEqualTo(200);
    assertThat(png.headers().firstValue("Content-Type").orElse("")).startsWith("image/png");
    assertThat(png.body()).startsWith(0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A);
    assertThat(ImageIO.read(new ByteArrayInputStream(png.body())).getWidth()).isEqualTo(960);

    http.get("/api/v1/charts/pie?year=" + Y).as(auditor).expectProblem(404, "NOT_FOUND");
    http.get("/api/v1/charts/overdue?year=" + Y).as(pAdmin).expectProblem(403, "FORBIDDEN");
  }

  @Test
  @Order(8)
  void readsAndSubmissions_areAudited() {
    JsonArray records = http.get("/api/v1/audit?limit=500&subject=" + p).as(auditor).expect(200).items();
    List<String> actions = records.stream().map(o -> ((JsonObject) o).getString("action") + ":" + ((JsonObject) o).getString("outcome")).toList();
    assertThat(actions).contains("STATISTICS_READ:OK", "REPORT_SUBMIT:OK", "REPORT_READ:OK");
    List<String> bureauWide = http.get("/api/v1/audit?limit=500&action=CHART_READ").as(auditor).expect(200).items().stream()
        .map(o -> ((JsonObject) o).getString("outcome")).toList();
    assertThat(bureauWide).contains("OK", "DENIED");
    assertThat(http.get("/api/v1/audit?limit=500&action=EVALUATION_READ").as(auditor).expect(200).items()).isNotEmpty();
  }

  // --- the replay's tools

  private String token(String department, String role) {
    return server.tokenFor(server.client(department, role));
  }

  private String resource(String shareType, String period, OffsetDateTime publishedAt, String... extraItems) {
    JsonArray items = new JsonArray().add(CatalogEntries.item("id_number", "编号", "C", 18).put("isKey", true));
    for (String key : extraItems) {
      items.add(key.equals("income") ? CatalogEntries.item(key, "月收入", "N", 8) : CatalogEntries.item(key, "姓名", "C", 50));
    }
    JsonObject entry = CatalogEntries.departmental(p, "统计测试资源 " + System.nanoTime()).put("shareType", shareType)
        .put("updatePeriod", period).put("items", items);
    if (!"CONDITIONAL".equals(shareType)) {
      entry.remove("shareCondition");
    }
    if ("NOT_SHARED".equals(shareType)) {
      entry.put("notSharedBasis", "《中华人民共和国统计法》第二十五条");
    }
    String code = http.post("/api/v1/catalog/resources", entry).as(pProvider).expect(201).json().getString("code");
    http.post(CatalogEntries.path(code) + "/publish").as(pProvider).expect(200);
    sql("UPDATE catalog_filing SET filed_at = $2 WHERE code = $1", Tuple.of(code, publishedAt));
    sql("UPDATE catalog_version SET created_at = $2 WHERE code = $1", Tuple.of(code, publishedAt));
    sql("UPDATE catalog_resource SET created_at = $2 WHERE code = $1", Tuple.of(code, publishedAt));
    return code;
  }

  private void upload(String code, String ndjson) {
    JsonObject result = http.send("POST", "/api/v1/resources/" + enc(code) + "/records", ndjson, "application/x-ndjson").as(pProvider)
        .expect(200).json();
    assertThat(result.getInteger("rejected")).as(result.encode()).isZero();
  }

  private String apply(String consumerToken, String code) {
    return http.post("/api/v1/applications", new JsonObject().put("resource", code).put("items", new JsonArray().add("name"))
        .put("purpose", "核验最低生活保障申请人的家庭情况").put("usage", "DATA_VERIFICATION")).as(consumerToken).expect(201).json().getString("id");
  }

  private void decide(String id, JsonObject decision) {
    http.post("/api/v1/applications/" + id + "/decision", decision).as(pProvider).expect(200);
  }

  private void age(String id, OffsetDateTime submitted, OffsetDateTime due, OffsetDateTime closed, Integer workingDays) {
    sql("UPDATE application SET submitted_at = $2, decision_due = $3, closed_at = $4, decision_working_days = $5 WHERE id = $1",
        Tuple.of(id, submitted, due, closed, workingDays));
  }

  private JsonObject objection() {
    return new JsonObject().put("provider", p).put("consumer", c).put("item", "income").put("key", "k1");
  }

  private void audit(LocalDateTime at, String department, AuditAction action, String resource, Outcome outcome, JsonObject detail) {
    await(server.platform().auditWriter().append(new AuditEntry(at.atZone(ZONE).toInstant(), "replay-" + REQUESTS.incrementAndGet(),
        department == null ? "system" : "replay-" + department, department, action, resource, null, outcome, detail)));
  }

  private void sql(String statement, Tuple args) {
    await(server.platform().pool().preparedQuery(statement).execute(args));
  }

  static LocalDateTime ldt(int y, int m, int d, int h, int min) {
    return LocalDateTime.of(y, m, d, h, min);
  }

  static OffsetDateTime local(int y, int m, int d, int h, int min) {
    return ldt(y, m, d, h, min).atZone(ZONE).toOffsetDateTime().withOffsetSameInstant(ZoneOffset.UTC);
  }

  static String enc(String code) {
    return URLEncoder.encode(code, StandardCharsets.UTF_8);
  }

  static <T> T await(Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

}
