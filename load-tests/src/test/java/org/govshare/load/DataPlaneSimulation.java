package org.govshare.load;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.percent;
import static io.gatling.javaapi.core.CoreDsl.randomSwitch;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.StringJoiner;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A department system on the data plane: it takes a token once (its users share it), then calls keyed reads over
 * 100,000 person records as such a system does all day: hits, misses (valid resident IDs that are
 * not in the register), batch lookups of 20 keys, verifications of submitted values (right and
 * wrong); beside it, a department with no access whose reads are all refused (403). The set-up (in
 * {@link #before()}) creates the departments, clients, resource, grant and uploads the records
 * through the API, so it runs against any fresh govshare. Loopback only; bounded by iterations and a
 * maximum duration; Gatling prints progress every 5 s.
 *
 * <p>-Dgovshare.url (default http://127.0.0.1:18080), -Dgovshare.adminSecret (required),
 * -Drecords (100000), -Dusers (16), -Diterations (500 per user), -DmaxMinutes (10),
 * -Dp99Ms (500), -Dp95HitMs (250).
 */
public class DataPlaneSimulation extends Simulation {
  static final String BASE = System.getProperty("govshare.url", "http://127.0.0.1:18080");
  static final int RECORDS = Integer.getInteger("records", 100_000);
  static final int USERS = Integer.getInteger("users", 16);
  static final int ITERATIONS = Integer.getInteger("iterations", 500);
  static final int MAX_MINUTES = Integer.getInteger("maxMinutes", 10);
  static final int P99_MS = Integer.getInteger("p99Ms", 500);
  static final int P95_HIT_MS = Integer.getInteger("p95HitMs", 250);
  static final int BATCH = 20;

  static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  static final Pattern FIELD = Pattern.compile("\"(access_token|clientId|clientSecret|code|id|accepted|rejected)\"\\s*:\\s*\"?([^\",}]+)\"?");

  // filled by before(): the scenarios read them when they run
  static volatile String resource;
  static volatile String consumerToken;
  static volatile String outsiderToken;

  // GB 11643 resident IDs, the same ones load-tests/ingest/generate.py writes: record i of the register
  static final int[] WEIGHTS = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  static final String CHECK = "10X98765432";
  static final String[] AREAS = {"410727", "110105", "330106", "440524", "510104"};
  static final LocalDate FIRST_DAY = LocalDate.of(1930, 1, 1);
  static final DateTimeFormatter DAY = DateTimeFormatter.BASIC_ISO_DATE;

  static String residentId(long i) {
    LocalDate day = FIRST_DAY.plusDays((i / 1000) % 30000);
    String first = AREAS[(int) ((i / 30_000_000) % AREAS.length)] + day.format(DAY) + String.format("%03d", i % 1000);
    int sum = 0;
    for (int k = 0; k < 17; k++) {
      sum += (first.charAt(k) - '0') * WEIGHTS[k];
    }
    return first + CHECK.charAt(sum % 11);
  }

  static int income(long i) {
    return (int) ((i * 37) % 20000);
  }

  static String record(long i) {
    String id = residentId(i);
    return "{\"id_number\":\"" + id + "\",\"name\":\"居民" + String.format("%07d", i) + "\",\"birth_date\":\""
        + id.substring(6, 10) + "-" + id.substring(10, 12) + "-" + id.substring(12, 14) + "\",\"income\":" + income(i)
        + ",\"address\":\"河南省新乡市辉县市某某街道" + String.format("%05d号院%03d室", i % 50000, i % 300)
        + "\",\"note\":\"低保对象家庭成员信息核验样例数据，第" + i + "行\"}";
  }

  // --- set-up through the API, as an operator and a provider would do it ---

  static String send(String method, String path, String token, String contentType, String body, int... ok) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(BASE + "/api/v1" + path)).timeout(Duration.ofMinutes(5))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    try {
      HttpResponse<String> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
      for (int s : ok.length == 0 ? new int[] {200, 201} : ok) {
        if (r.statusCode() == s) {
          return r.body();
        }
      }
      throw new IllegalStateException(method + " " + path + " answered " + r.statusCode() + " " + r.body());
    } catch (java.io.IOException | InterruptedException e) {
      throw new IllegalStateException("cannot reach " + BASE + ": " + e, e);
    }
  }

  static String json(String method, String path, String token, String body) {
    return send(method, path, token, body == null ? null : "application/json", body);
  }

  static String field(String body, String name) {
    Matcher m = FIELD.matcher(body);
    while (m.find()) {
      if (m.group(1).equals(name)) {
        return m.group(2);
      }
    }
    throw new IllegalStateException("no " + name + " in " + body);
  }

  static String token(String clientId, String secret) {
    return field(json("POST", "/auth/token", null, "{\"grant_type\":\"client_credentials\",\"client_id\":\"" + clientId
        + "\",\"client_secret\":\"" + secret + "\"}"), "access_token");
  }

  static String[] client(String admin, String department, String role) {
    String c = json("POST", "/departments/" + department + "/clients", admin, "{\"name\":\"" + department + " system\",\"roles\":[\"" + role + "\"]}");
    return new String[] {field(c, "clientId"), field(c, "clientSecret")};
  }

  @Override
  public void before() {
    String secret = System.getProperty("govshare.adminSecret", System.getenv("GOVSHARE_ADMIN_SECRET"));
    if (secret == null) {
      throw new IllegalStateException("pass -Dgovshare.adminSecret=... (the server's GOVSHARE_ADMIN_SECRET)");
    }
    String run = Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36).toUpperCase();
    String admin = token("admin", secret);
    String provider = "LT-MZJ-" + run;
    String consumer = "LT-RSJ-" + run;
    String outsider = "LT-JTJ-" + run;
    for (String[] d : new String[][] {{provider, "民政局（压测）"}, {consumer, "人社局（压测）"}, {outsider, "交通局（压测）"}}) {
      json("POST", "/departments", admin, "{\"code\":\"" + d[0] + "\",\"name\":\"" + d[1] + "\",\"kind\":\"DEPARTMENT\"}");
    }
    for (String d : new String[] {consumer, outsider}) {
      // the department limits of a build with rate limits would otherwise answer most of this load with 429
      send("PUT", "/departments/" + d + "/rate-limit", admin, "application/json",
          "{\"requestsPerSecond\":100000,\"burst\":100000}", 200, 204, 400, 404, 405, 422);
    }
    String[] p = client(admin, provider, "PROVIDER");
    String[] c = client(admin, consumer, "CONSUMER");
    String[] o = client(admin, outsider, "CONSUMER");
    String providerToken = token(p[0], p[1]);
    String entry = """
        {"name":"低保对象家庭成员（压测）","summary":"低保对象家庭成员的基本信息","category":"DEPARTMENTAL","provider":"%s",
         "format":{"class":"DATABASE","subtype":"PostgreSQL"},"shareType":"CONDITIONAL","shareCondition":"经审批后使用",
         "shareMethod":"PLATFORM_API","openType":"NOT_OPEN","updatePeriod":"DAILY","relatedResources":[],"classified":false,
         "access":{"mode":"HOSTED"},"items":[
          {"key":"id_number","name":"公民身份号码","dataType":"C","length":18,"isKey":true,"sensitive":true,"dataElement":"citizen_id_number","authoritative":true},
          {"key":"name","name":"姓名","dataType":"C","length":50},{"key":"birth_date","name":"出生日期","dataType":"D"},
          {"key":"income","name":"月收入","dataType":"N","length":8},
          {"key":"address","name":"住址","dataType":"C","length":200,"shareType":"NOT_SHARED","notSharedBasis":"《个人信息保护法》第二十八条"},
          {"key":"note","name":"备注","dataType":"C","length":200}]}""".formatted(provider);
    String code = field(json("POST", "/catalog/resources", providerToken, entry), "code");
    String encoded = URLEncoder.encode(code, StandardCharsets.UTF_8);
    json("POST", "/catalog/resources/" + encoded + "/publish", providerToken, null);
    StringBuilder ndjson = new StringBuilder(RECORDS * 260);
    for (long i = 0; i < RECORDS; i++) {
      ndjson.append(record(i)).append('\n');
    }
    long t0 = System.nanoTime();
    String result = send("POST", "/resources/" + encoded + "/records", providerToken, "application/x-ndjson", ndjson.toString());
    System.out.printf("set-up: %s records uploaded to %s in %.1f s (rejected %s)%n", field(result, "accepted"), code,
        (System.nanoTime() - t0) / 1e9, field(result, "rejected"));
    String consumerToken = token(c[0], c[1]);
    String application = field(json("POST", "/applications", consumerToken, "{\"resource\":\"" + code
        + "\",\"items\":[\"id_number\",\"name\",\"birth_date\",\"income\"],\"purpose\":\"核验社保待遇申请人的家庭收入\",\"usage\":\"DATA_VERIFICATION\"}"), "id");
    json("POST", "/applications/" + application + "/decision", providerToken, "{\"decision\":\"APPROVE\"}");
    resource = encoded;
    // each department system takes its token once
    DataPlaneSimulation.consumerToken = consumerToken;
    outsiderToken = token(o[0], o[1]);
  }

  // --- the scenarios ---

  // every virtual user of a system uses the one token the system took (the token endpoint limits
  // how often one client may ask, as a system that took a token per call would find out)
  static ChainBuilder useToken(boolean outsider) {
    return exec(session -> session.set("token", outsider ? outsiderToken : consumerToken).set("resource", resource));
  }

  static Session pick(Session s) {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    long hit = r.nextLong(RECORDS);
    // past the register's end: valid IDs that were never uploaded
    long miss = RECORDS + r.nextLong(RECORDS);
    StringJoiner keys = new StringJoiner("\",\"", "[\"", "\"]");
    for (int k = 0; k < BATCH; k++) {
      keys.add(residentId(k % 5 == 4 ? RECORDS + r.nextLong(RECORDS) : r.nextLong(RECORDS)));
    }
    boolean right = r.nextBoolean();
    return s.set("hit", residentId(hit)).set("miss", residentId(miss)).set("keys", keys.toString())
        .set("income", right ? income(hit) : income(hit) + 1).set("right", right);
  }

  static final ChainBuilder CALL = exec(DataPlaneSimulation::pick).exec(randomSwitch().on(
      percent(60.0).then(exec(http("hit").get("/api/v1/data/#{resource}/records/#{hit}").header("Authorization", "Bearer #{token}")
          .check(status().is(200), jsonPath("$.record.income").exists(), jsonPath("$.masked[0]").is("id_number")))),
      percent(10.0).then(exec(http("miss").get("/api/v1/data/#{resource}/records/#{miss}").header("Authorization", "Bearer #{token}").check(status().is(404)))),
      percent(15.0).then(exec(http("lookup of " + BATCH).post("/api/v1/data/#{resource}/lookup").header("Authorization", "Bearer #{token}")
          .body(StringBody("{\"keys\":#{keys}}")).asJson().check(status().is(200), jsonPath("$.missing").exists()))),
      percent(15.0).then(exec(http("verify").post("/api/v1/data/#{resource}/verify").header("Authorization", "Bearer #{token}")
          .body(StringBody("{\"key\":\"#{hit}\",\"values\":{\"income\":#{income}}}")).asJson()
          .check(status().is(200), jsonPath("$.matches.income").is(session -> String.valueOf(session.getBoolean("right"))))))));

  static final ChainBuilder REFUSED = exec(DataPlaneSimulation::pick)
      .exec(http("refused (no access)").get("/api/v1/data/#{resource}/records/#{hit}").header("Authorization", "Bearer #{token}").check(status().is(403)));

  {
    HttpProtocolBuilder protocol = http.baseUrl(BASE).acceptHeader("application/json")
        .shareConnections();
    setUp(
        scenario("consumer system").exec(useToken(false)).repeat(ITERATIONS).on(CALL).injectOpen(atOnceUsers(USERS)),
        scenario("department without access").exec(useToken(true)).repeat(ITERATIONS / 4).on(REFUSED).injectOpen(atOnceUsers(1)))
        .protocols(protocol)
        .maxDuration(Duration.ofMinutes(MAX_MINUTES))
        .assertions(
            global().failedRequests().percent().lte(0.1),
            global().responseTime().percentile(99.0).lt(P99_MS),
            details("hit").responseTime().percentile(95.0).lt(P95_HIT_MS),
            details("refused (no access)").failedRequests().count().is(0L));
  }
}
