package org.govshare.load;

import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Catalogue search over a seeded catalogue (seed-catalog 100000): a mix of two-character words,
 * single characters, longer strings and filters (common, rare and absent ones, as users type
 * them), first through the search index, then the same
 * queries answered by scanning the text (plan=scan), in one run. Loopback only, bounded by rounds
 * and by a maximum duration.
 *
 * <p>-Dgovshare.url (default http://127.0.0.1:18080), -Dgovshare.adminSecret (required),
 * -Dusers (4), -Drounds (60), -DscanUsers (4), -DscanRounds (3).
 */
public class CatalogSearchSimulation extends Simulation {
  static final String BASE = System.getProperty("govshare.url", "http://127.0.0.1:18080");
  static final int USERS = Integer.getInteger("users", 4);
  static final int ROUNDS = Integer.getInteger("rounds", 60);
  static final int SCAN_USERS = Integer.getInteger("scanUsers", 4);
  static final int SCAN_ROUNDS = Integer.getInteger("scanRounds", 3);

  record Query(String kind, Map<String, String> params) {}

  static final List<Query> QUERIES = List.of(
      q("2-char", "q", "人口"), q("2-char", "q", "户籍"), q("2-char", "q", "企业"), q("2-char", "q", "医保"),
      q("2-char", "q", "疫苗"), q("2-char", "q", "许可"), q("2-char", "q", "消防"), q("2-char", "q", "河道"),
      q("2-char", "q", "信息"), q("2-char", "q", "全县"), q("2-char", "q", "地铁"),
      q("1-char", "q", "税"), q("1-char", "q", "房"), q("1-char", "q", "林"), q("1-char", "q", "婚"), q("1-char", "q", "记"), q("1-char", "q", "鑫"),
      q("3+char", "q", "营业执照"), q("3+char", "q", "不动产登记"), q("3+char", "q", "出生医学证明"), q("3+char", "q", "公积金缴纳"),
      q("3+char", "q", "河道巡查台账"), q("3+char", "q", "地铁线路"),
      q("filters", "q", "人口", "category", "BASE"),
      q("filters", "shareType", "CONDITIONAL", "updatePeriod", "DAILY"),
      q("filters", "q", "信息", "provider", "SEED07"),
      q("filters", "q", "登记信息", "category", "DEPARTMENTAL", "status", "PUBLISHED"));

  static Query q(String kind, String... kv) {
    Map<String, String> params = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      params.put(kv[i], kv[i + 1]);
    }
    return new Query(kind, params);
  }

  static ChainBuilder round(String plan) {
    List<ChainBuilder> steps = new ArrayList<>();
    for (Query query : QUERIES) {
      Map<String, Object> params = new LinkedHashMap<>(query.params());
      if (plan.equals("scan")) {
        params.put("plan", "scan");
      }
      steps.add(exec(http(plan + " " + query.kind()).get("/api/v1/catalog/resources").queryParamMap(params).check(status().is(200))));
    }
    return exec(steps);
  }

  static ScenarioBuilder scenarioOf(String name, String plan, int rounds) {
    return scenario(name).repeat(rounds).on(round(plan));
  }

  static String adminToken() {
    String secret = System.getProperty("govshare.adminSecret", System.getenv("GOVSHARE_ADMIN_SECRET"));
    if (secret == null) {
      throw new IllegalStateException("pass -Dgovshare.adminSecret=... (the server's GOVSHARE_ADMIN_SECRET)");
    }
    String form = "grant_type=client_credentials&client_id=admin&client_secret=" + secret;
    try {
      HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(BASE + "/api/v1/auth/token"))
          .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build(),
          HttpResponse.BodyHandlers.ofString());
      Matcher m = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"").matcher(r.body());
      if (r.statusCode() != 200 || !m.find()) {
        throw new IllegalStateException("no token from " + BASE + ": " + r.statusCode() + " " + r.body());
      }
      return m.group(1);
    } catch (java.io.IOException | InterruptedException e) {
      throw new IllegalStateException("cannot reach " + BASE + ": " + e, e);
    }
  }

  {
    HttpProtocolBuilder protocol = http.baseUrl(BASE)
        .acceptHeader("application/json")
        .authorizationHeader("Bearer " + adminToken())
        .shareConnections();
    setUp(
        scenarioOf("warm-up", "warm-up", 10).injectOpen(atOnceUsers(4))
            .andThen(scenarioOf("search through the index", "index", ROUNDS).injectOpen(atOnceUsers(USERS)))
            .andThen(scenarioOf("search by scanning (baseline)", "scan", SCAN_ROUNDS).injectOpen(atOnceUsers(SCAN_USERS))))
        .protocols(protocol)
        .maxDuration(Duration.ofMinutes(15));
  }
}
