package org.govshare.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.govshare.testing.Http.Reply;
import org.govshare.testing.TestServer;
import org.junit.jupiter.api.Test;

/** A frozen database (postmaster and backends stopped with SIGSTOP) must not hold callers. */
class DatabaseStallIT {

  @Test
  void aFrozenDatabase_answers503WithRetryAfterPromptly_andServiceResumesByItself() throws Exception {
    try (TestServer server = TestServer.start(Map.of("db.pool-wait-timeout-ms", "8000",
        "db.query-timeout-ms", "8000"))) {
      String token = server.adminToken();
      server.http().get("/api/v1/departments").as(token).expect(200);
      long postmaster = server.platform().embeddedDatabase().orElseThrow().pid();
      ExecutorService callers = Executors.newFixedThreadPool(20);
      List<String> pids = List.of(String.valueOf(postmaster));
      try {
        // the postmaster first, so that it forks no backend after the list below is taken
        signal("-STOP", pids);
        pids = Stream.concat(Stream.of(postmaster), ProcessHandle.of(postmaster).orElseThrow().descendants()
            .map(ProcessHandle::pid)).map(String::valueOf).toList();
        signal("-STOP", pids);
        List<Future<Reply>> replies = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
          replies.add(callers.submit(() -> server.http().get("/api/v1/departments").as(token).send()));
        }
        for (Future<Reply> f : replies) {
          // the database stays frozen until every caller has its answer: a caller held by it fails here
          Reply r = f.get(40, TimeUnit.SECONDS);
          assertThat(r.status()).as(r.body()).isEqualTo(503);
          assertThat(r.header("Content-Type")).startsWith("application/problem+json");
          assertThat(r.json().getString("code")).isEqualTo("UNAVAILABLE");
          assertThat(r.header("Retry-After")).isNotBlank();
        }
      } finally {
        signal("-CONT", pids);
        callers.shutdownNow();
      }
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      int status;
      do {
        Thread.sleep(200);
        status = server.http().get("/api/v1/departments").as(token).send().status();
      } while (status != 200 && System.nanoTime() < until);
      assertThat(status).as("answers again once the database is back").isEqualTo(200);
    }
  }

  private static void signal(String signal, List<String> pids) throws Exception {
    List<String> command = new ArrayList<>(List.of("kill", signal));
    command.addAll(pids);
    assertThat(new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor()).isZero();
  }
}
