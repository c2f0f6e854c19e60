package org.govshare.access;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.govshare.access.DataWorld.Party;
import org.govshare.testing.ClusteredPair;
import org.govshare.testing.Http;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Two clustered instances share one budget per department, and a limit set on one applies on the other at once. */
class RateLimitClusterIT {
  private static ClusteredPair pair;

  @BeforeAll
  static void start() {
    // the poll (the safety net) so slow that only the cluster's invalidation can explain a limit seen on B;
    // a busy build machine must not push the instances onto their fallback share, which is not what this tests
    pair = ClusteredPair.start(Map.of("sharing.poll-ms", "60000", "data.rate-limit.cluster-timeout-ms", "10000"));
  }

  @AfterAll
  static void stop() {
    pair.close();
  }

  private static Http.Call put(DataWorld on, String department, int requestsPerSecond, int burst) {
    return on.http.put("/api/v1/departments/" + department + "/rate-limit",
        new JsonObject().put("requestsPerSecond", requestsPerSecond).put("burst", burst)).as(on.server.adminToken());
  }

  @Test
  void twoInstances_shareOneBudget_notOneEach() {
    DataWorld a = new DataWorld(pair.a);
    DataWorld b = new DataWorld(pair.b);
    Party provider = a.party("SC", "PROVIDER");
    Party consumer = a.party("ZJ", "CONSUMER");
    String code = a.companyResource(provider);
    String cc = DataWorld.creditCode("91330106MA2CCLU1");
    a.upload(code, new JsonObject().put("credit_code", cc).put("name", "集群限流公司").encode()).as(provider.token()).expect(200);
    int burst = 12;
    put(a, consumer.department(), 1, burst).expect(200);
    // B learnt the limit before A answered the PUT
    assertThat(b.http.get("/api/v1/departments/" + consumer.department() + "/rate-limit").as(b.server.adminToken()).expect(200).json()
        .getString("source")).isEqualTo("CONFIGURED");

    long started = System.nanoTime();
    int servedA = 0;
    int servedB = 0;
    int refusedA = 0;
    int refusedB = 0;
    for (int i = 0; i < 20; i++) {
      int onA = a.read(code, cc).as(consumer.token()).send().status();
      int onB = b.read(code, cc).as(consumer.token()).send().status();
      servedA += onA == 200 ? 1 : 0;
      servedB += onB == 200 ? 1 : 0;
      refusedA += onA == 429 ? 1 : 0;
      refusedB += onB == 429 ? 1 : 0;
    }
    long seconds = (System.nanoTime() - started) / 1_000_000_000L;
    assertThat(servedA + refusedA).isEqualTo(20);
    assertThat(servedB + refusedB).isEqualTo(20);
    // one bucket of 12 refilled at 1 per second, whichever instance asks: never 12 on each
    assertThat(servedA + servedB).isBetween(burst, burst + (int) seconds + 1);
    assertThat(servedA).isPositive();
    assertThat(servedB).isPositive();
    assertThat(refusedA).isPositive();
    assertThat(refusedB).isPositive();

    // a higher limit set on B applies on A with the next call
    put(b, consumer.department(), 1, 1000).expect(200);
    a.read(code, cc).as(consumer.token()).expect(200);
    // and a lower one again: A holds no tokens taken under the old limit
    put(b, consumer.department(), 1, 1).expect(200);
    int served = 0;
    for (int i = 0; i < 4; i++) {
      served += a.read(code, cc).as(consumer.token()).send().status() == 200 ? 1 : 0;
    }
    assertThat(served).isLessThanOrEqualTo(2);
  }
}
