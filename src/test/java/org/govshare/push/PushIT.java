package org.govshare.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.govshare.push.PushWorld.line;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.govshare.push.PushWorld.Party;
import org.govshare.testing.EventStreamClient;
import org.govshare.testing.EventStreamClient.Event;
import org.govshare.testing.TestServer;
import org.junit.jupiter.api.Test;

/** Change streams over real HTTP: live events, resumption, scoping, refusals and the end of access. */
class PushIT {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private final PushWorld w = new PushWorld(TestServer.shared());

  @Test
  void stream_deliversCommittedChangesLive_scopedAndMaskedPerReader() {
    Party provider = w.party("GA", "PROVIDER");
    Party phones = w.party("MZ", "CONSUMER");
    Party names = w.party("SW", "CONSUMER");
    String code = w.caseResource(provider);
    w.grant(provider, phones, code, "case_no", "phone");
    w.grant(provider, names, code, "case_no", "name");
    try (EventStreamClient a = w.stream(phones, code); EventStreamClient b = w.stream(names, code);
        EventStreamClient own = w.stream(provider, code)) {
      assertThat(a.status()).isEqualTo(200);
      assertThat(a.header("Content-Type")).startsWith("text/event-stream");
      JsonObject up = w.upload(provider, code, line("C-1", "张三", "13812345678"), line("C-2", "李四", "13900001111"));
      w.delete(provider, code, "C-1");

      List<Event> seenA = a.next(3, WAIT);
      assertThat(seenA).extracting(Event::event).containsExactly("upsert", "upsert", "delete");
      assertThat(seenA).extracting(Event::seq).containsExactly(up.getLong("firstSeq"), up.getLong("lastSeq"), up.getLong("lastSeq") + 1);
      assertThat(seenA.get(0).json().getString("key")).isEqualTo("C-1");
      JsonObject second = seenA.get(1).json();
      assertThat(second.getString("resource")).isEqualTo(code);
      assertThat(second.getString("key")).isEqualTo("C-2");
      assertThat(second.getString("op")).isEqualTo("UPSERT");
      assertThat(second.getString("at")).isNotBlank();
      assertThat(second.getJsonObject("record").fieldNames()).containsExactlyInAnyOrder("case_no", "phone");
      assertThat(second.getJsonObject("record").getString("phone")).isNotEqualTo("13900001111").contains("*");
      assertThat(second.getJsonArray("masked")).containsExactly("phone");
      assertThat(seenA.get(2).json().getString("op")).isEqualTo("DELETE");
      assertThat(seenA.get(2).json().containsKey("record")).isFalse();

      List<Event> seenB = b.next(3, WAIT);
      assertThat(seenB.get(1).json().getJsonObject("record").getMap()).isEqualTo(Map.of("case_no", "C-2", "name", "李四"));
      assertThat(seenB.get(1).json().getJsonArray("masked")).isEmpty();

      List<Event> seenOwn = own.next(3, WAIT);
      assertThat(seenOwn.get(1).json().getJsonObject("record").getMap())
          .isEqualTo(Map.of("case_no", "C-2", "name", "李四", "phone", "13900001111"));
    }
  }

  @Test
  void stream_resumesWithLastEventIdOrAfter_withoutGapsOrDuplicates() {
    Party provider = w.party("GA", "PROVIDER");
    Party consumer = w.party("MZ", "CONSUMER");
    String code = w.caseResource(provider);
    w.grant(provider, consumer, code, "case_no", "name");
    long seenUpTo;
    try (EventStreamClient s = w.stream(consumer, code)) {
      w.upload(provider, code, line("K-1", "一", "1"), line("K-2", "二", "2"));
      List<Event> got = s.next(2, WAIT);
      seenUpTo = got.get(1).seq();
    }
    // missed while disconnected: three changes (one record twice: both changes come, with its current state)
    w.upload(provider, code, line("K-3", "三", "3"), line("K-4", "四", "4"));
    w.upload(provider, code, line("K-3", "三三", "3"));
    try (EventStreamClient s = w.stream(w.server, consumer, code, Map.of("Last-Event-ID", Long.toString(seenUpTo)), "after=0")) {
      List<Event> replay = s.next(3, WAIT);
      assertThat(replay).extracting(e -> e.json().getString("key")).containsExactly("K-3", "K-4", "K-3");
      assertThat(replay).extracting(Event::seq).containsExactly(seenUpTo + 1, seenUpTo + 2, seenUpTo + 3);
      assertThat(replay.get(0).json().getBoolean("superseded")).isTrue();
      assertThat(replay.get(0).json().getJsonObject("record").getString("name")).isEqualTo("三三");
      assertThat(replay.get(2).json().getJsonObject("record").getString("name")).isEqualTo("三三");
      assertThat(replay.get(2).json().containsKey("superseded")).isFalse();
      w.upload(provider, code, line("K-5", "五", "5"));
      Event live = s.next(WAIT);
      assertThat(live.json().getString("key")).isEqualTo("K-5");
      assertThat(live.seq()).isEqualTo(seenUpTo + 4);
      s.expectQuiet(Duration.ofMillis(300));
    }
    try (EventStreamClient s = w.stream(w.server, consumer, code, Map.of(), "after=" + seenUpTo)) {
      assertThat(s.next(4, WAIT)).extracting(e -> e.json().getString("key")).containsExactly("K-3", "K-4", "K-3", "K-5");
    }
  }

  @Test
  void stream_refusesWhoMayReadNothing_andUnknownResources() {
    Party provider = w.party("GA", "PROVIDER");
    Party stranger = w.party("JY", "CONSUMER");
    String code = w.caseResource(provider);
    try (EventStreamClient s = w.stream(stranger, code)) {
      assertThat(s.status()).isEqualTo(403);
      assertThat(s.problem().getString("code")).isEqualTo("FORBIDDEN");
    }
    try (EventStreamClient s = w.stream(stranger, "999999/999999")) {
      assertThat(s.status()).isEqualTo(404);
    }
    try (EventStreamClient s = w.stream(w.server, stranger, code, Map.of("Last-Event-ID", "abc"), null)) {
      assertThat(s.status()).isEqualTo(400);
    }
    try (EventStreamClient s = EventStreamClient.open(w.server.baseUrl(), "/api/v1/data/" + PushWorld.enc(code) + "/changes", null, Map.of())) {
      assertThat(s.status()).isEqualTo(401);
    }
  }

  @Test
  void stream_endsWithReason_whenTheGrantIsRevoked_andCannotResume() {
    Party provider = w.party("GA", "PROVIDER");
    Party consumer = w.party("MZ", "CONSUMER");
    String code = w.caseResource(provider);
    String grant = w.grant(provider, consumer, code, "case_no", "name");
    try (EventStreamClient s = w.stream(consumer, code)) {
      w.upload(provider, code, line("R-1", "一", "1"));
      assertThat(s.next(WAIT).event()).isEqualTo("upsert");
      w.revoke(provider, grant);
      Event revoked = s.next(WAIT);
      assertThat(revoked.event()).isEqualTo("grant");
      assertThat(revoked.json().getString("key")).isEqualTo(grant);
      assertThat(revoked.json().getJsonObject("grant").getString("change")).isEqualTo("REVOKED");
      assertThat(revoked.json().getJsonObject("grant").getString("reason")).contains("审批职能");
      Event end = s.next(WAIT);
      assertThat(end.event()).isEqualTo("end");
      assertThat(end.id()).isNull();
      assertThat(end.json().getString("code")).isEqualTo("GRANT_REVOKED");
      assertThat(end.json().getString("reason")).contains(grant);
      assertThat(s.awaitClosed(WAIT)).isTrue();
      try (EventStreamClient again = w.stream(w.server, consumer, code, Map.of("Last-Event-ID", revoked.id()), null)) {
        assertThat(again.status()).isEqualTo(403);
      }
    }
    PushWorld.eventually(WAIT, "STREAM_CLOSE audited", () -> !w.audit(code, "STREAM_CLOSE").isEmpty());
    JsonObject closed = w.audit(code, "STREAM_CLOSE").get(0).getJsonObject("detail");
    assertThat(closed.getLong("eventsSent")).isEqualTo(2);
    assertThat(closed.getString("code")).isEqualTo("GRANT_REVOKED");
    assertThat(w.audit(code, "STREAM_OPEN")).extracting(r -> r.getString("outcome")).contains("OK", "DENIED");
  }

  @Test
  void stream_endsWithReason_whenTheResourceIsRetired() {
    Party provider = w.party("GA", "PROVIDER");
    Party consumer = w.party("MZ", "CONSUMER");
    String code = w.caseResource(provider);
    w.grant(provider, consumer, code, "case_no", "name");
    try (EventStreamClient s = w.stream(consumer, code)) {
      w.retire(provider, code);
      Event catalog = s.next(WAIT);
      assertThat(catalog.event()).isEqualTo("catalog");
      assertThat(catalog.json().getJsonObject("catalog").getString("change")).isEqualTo("RETIRED");
      Event end = s.next(WAIT);
      assertThat(end.event()).isEqualTo("end");
      assertThat(end.json().getString("code")).isEqualTo("RESOURCE_RETIRED");
      assertThat(s.awaitClosed(WAIT)).isTrue();
    }
  }

  @Test
  void stream_refusesACursorOlderThanTheRetention_with410() {
    Party provider = w.party("GA", "PROVIDER");
    Party consumer = w.party("MZ", "CONSUMER");
    String code = w.caseResource(provider);
    w.grant(provider, consumer, code, "case_no", "name");
    JsonObject up = w.upload(provider, code, line("P-1", "一", "1"), line("P-2", "二", "2"));
    long purged = await(w.server.platform().changeRetention().purgeBefore(java.time.OffsetDateTime.now().plusMinutes(1), code, 0));
    assertThat(purged).isGreaterThanOrEqualTo(2);
    try (EventStreamClient s = w.stream(w.server, consumer, code, Map.of(), "after=0")) {
      assertThat(s.status()).isEqualTo(410);
      assertThat(s.problem().getString("code")).isEqualTo("CURSOR_EXPIRED");
      assertThat(s.problem().getString("detail")).contains("retention");
      assertThat(s.problem().getLong("purgedThrough")).isEqualTo(up.getLong("lastSeq"));
    }
    try (EventStreamClient s = w.stream(w.server, consumer, code, Map.of("Last-Event-ID", String.valueOf(up.getLong("lastSeq"))), null)) {
      assertThat(s.status()).isEqualTo(200);
      w.upload(provider, code, line("P-3", "三", "3"));
      assertThat(s.next(WAIT).seq()).isEqualTo(up.getLong("lastSeq") + 1);
    }
  }

  private static <T> T await(io.vertx.core.Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(30, java.util.concurrent.TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
