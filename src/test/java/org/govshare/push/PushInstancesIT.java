package org.govshare.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.govshare.push.PushWorld.line;

import io.vertx.core.json.JsonObject;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.govshare.push.PushWorld.Party;
import org.govshare.testing.EventStreamClient;
import org.govshare.testing.EventStreamClient.Event;
import org.govshare.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A second instance on the same database (no cluster): changes committed through one instance reach
 * streams on the other; heartbeats, the per-department stream limit and the cut-off of a slow client.
 */
class PushInstancesIT {
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static TestServer b;
  private final PushWorld w = new PushWorld(TestServer.shared());

  @BeforeAll
  static void secondInstance() {
    b = TestServer.shared().secondInstance(Map.of("push.heartbeat-ms", "200", "push.max-streams-per-department", "1",
        "push.max-queued-bytes", "4096", "push.slow-client-ms", "300"));
  }

  @AfterAll
  static void stop() {
    b.close();
  }

  @Test
  void stream_onOneInstance_seesEveryChangeCommittedThroughTheOther_once() {
    Party provider = w.party("GA", "PROVIDER");
    Party consumer = w.party("MZ", "CONSUMER");
    String code = w.caseResource(provider);
    w.grant(provider, consumer, code, "case_no", "name");
    try (EventStreamClient onA = w.stream(consumer, code);
        EventStreamClient onB = w.stream(b, w.party("SW", "CONSUMER"), code, Map.of(), null)) {
      assertThat(onB.status()).as("an unconditional-free resource: SW has no grant").isEqualTo(403);
    }
    Party second = w.party("JY", "CONSUMER");
    w.grant(provider, second, code, "case_no", "name");
    try (EventStreamClient onB = w.stream(b, second, code, Map.of(), null)) {
      assertThat(onB.status()).isEqualTo(200);
      List<String> keys = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        w.upload(provider, code, line("B-" + i, "名" + i, "1"));
        keys.add("B-" + i);
      }
      List<Event> got = onB.next(5, WAIT);
      assertThat(got).extracting(e -> e.json().getString("key")).containsExactlyElementsOf(keys);
      assertThat(got).extracting(Event::seq).isSorted().doesNotHaveDuplicates();
      onB.expectQuiet(Duration.ofMillis(700));
      assertThat(onB.comments()).as("heartbeats while idle").isGreaterThanOrEqualTo(2);

      try (EventStreamClient secondStream = w.stream(b, second, code, Map.of(), null)) {
        assertThat(secondStream.status()).isEqualTo(429);
        assertThat(secondStream.header("Retry-After")).isNotBlank();
      }
    }
  }

  @Test
  void slowClient_isCutOff_andMemoryStaysBounded() throws Exception {
    Party provider = w.party("GA", "PROVIDER");
    Party consumer = w.party("MZ", "CONSUMER");
    String code = w.caseResource(provider);
    w.grant(provider, consumer, code, "case_no", "name", "phone");
    URI base = URI.create(b.baseUrl());
    try (Socket socket = new Socket()) {
      socket.setReceiveBufferSize(4096);
      socket.connect(new InetSocketAddress(base.getHost(), base.getPort()));
      OutputStream out = socket.getOutputStream();
      out.write(("GET /api/v1/data/" + PushWorld.enc(code) + "/changes HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
          + consumer.token() + "\r\nAccept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      PushWorld.eventually(WAIT, "the stream is open", () -> b.platform().changeStreams().open() == 1);
      // never read: about 4 MB of events against a 4 kB queue and a small socket buffer
      String padding = "长".repeat(15);
      for (int batch = 0; batch < 4; batch++) {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
          lines.add(line("S-" + batch + "-" + i, padding, "138" + String.format("%08d", i)));
        }
        w.upload(provider, code, lines.toArray(String[]::new));
        if (b.platform().changeStreams().open() == 0) {
          break;
        }
      }
      PushWorld.eventually(WAIT, "the slow stream was cut off", () -> b.platform().changeStreams().open() == 0);
    }
    PushWorld.eventually(WAIT, "STREAM_CLOSE audited", () -> !w.audit(code, "STREAM_CLOSE").isEmpty());
    JsonObject closed = w.audit(code, "STREAM_CLOSE").get(0).getJsonObject("detail");
    assertThat(closed.getString("code")).isEqualTo("SLOW_CONSUMER");
    assertThat(closed.getString("reason")).contains("Last-Event-ID");
  }
}
