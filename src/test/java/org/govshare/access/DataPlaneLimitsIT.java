package org.govshare.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.govshare.access.DataWorld.enc;
import static org.govshare.access.DataWorld.id;
import static org.govshare.access.DataWorld.person;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.govshare.access.DataWorld.Party;
import org.govshare.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The configured bounds of an NDJSON upload: bytes (declared or streamed), lines, with what came before committed. */
class DataPlaneLimitsIT {
  private static TestServer server;
  private static DataWorld w;

  @BeforeAll
  static void start() {
    server = TestServer.start(Map.of("ingest.max-bytes", "3000", "ingest.max-lines", "20", "ingest.batch-rows", "2"));
    w = new DataWorld(server);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static List<String> people(int n) {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      lines.add(person(id("410727", LocalDate.of(1960, 1, 1).plusDays(i).toString().replace("-", ""), "321"), "居民" + i, i, "地址"));
    }
    return lines;
  }

  @Test
  void ingest_refusesADeclaredLengthOverTheBound_beforeReadingIt() {
    Party provider = w.party("GA", "PROVIDER");
    String code = w.personResource(provider, "PUBLISHED");
    String body = String.join("\n", people(40));
    assertThat(body.getBytes(StandardCharsets.UTF_8).length).isGreaterThan(3000);
    JsonObject problem = w.upload(code, body).as(provider.token()).expectProblem(413, "PAYLOAD_TOO_LARGE").json();
    assertThat(problem.getString("detail")).contains("3000 bytes");
    assertThat(w.audit(code, "DATA_INGEST")).extracting(r -> r.getString("outcome")).containsOnly("DENIED");
  }

  @Test
  void ingest_stopsAStreamedUploadAtTheByteBound_keepingTheBatchesBefore() throws Exception {
    Party provider = w.party("GA", "PROVIDER");
    String code = w.personResource(provider, "PUBLISHED");
    List<String> lines = people(40);
    byte[] body = (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
    // an input stream has no declared length: the body goes chunked and the bound is met while reading
    HttpResponse<String> r = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(HttpRequest.newBuilder(
                URI.create(server.baseUrl() + "/api/v1/resources/" + enc(code) + "/records"))
            .header("Authorization", "Bearer " + provider.token()).header("Content-Type", DataWorld.NDJSON)
            .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(413);
    JsonObject problem = new JsonObject(r.body());
    long accepted = problem.getLong("accepted");
    assertThat(accepted).isPositive().isLessThan(40);
    assertThat(problem.getLong("lastSeq") - problem.getLong("firstSeq") + 1).isEqualTo(accepted);
    String firstKey = new JsonObject(lines.get(0)).getString("id_number");
    w.read(code, firstKey).as(provider.token()).expect(200);
  }

  @Test
  void ingest_stopsAtTheLineBound() {
    Party provider = w.party("GA", "PROVIDER");
    String code = w.personResource(provider, "PUBLISHED");
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      keys.add("{\"id_number\":\"" + id("410727", LocalDate.of(1970, 1, 1).plusDays(i).toString().replace("-", ""), "321") + "\"}");
    }
    JsonObject problem = w.upload(code, keys.toArray(String[]::new)).as(provider.token()).expectProblem(413, "PAYLOAD_TOO_LARGE").json();
    assertThat(problem.getString("detail")).contains("more than 20 lines");
    assertThat(problem.getLong("accepted")).isEqualTo(20);
  }
}
