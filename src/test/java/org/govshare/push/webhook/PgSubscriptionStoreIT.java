package org.govshare.push.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.govshare.audit.AuditOf;
import org.govshare.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The lease SQL against the real database: what keeps one owner per subscription and makes a takeover resume from the last acknowledgement. */
class PgSubscriptionStoreIT {
  static TestServer server;
  static PgSubscriptionStore store;

  @BeforeAll
  static void start() {
    // this server's own sweep runs once at start and then not for ten minutes: the test plays the instances
    server = TestServer.start(Map.of("webhook.sweep-ms", "600000"));
    store = new PgSubscriptionStore(server.platform().pool());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static final AuditOf<Subscription> NONE = saved -> List.of();

  static Subscription create(String department) {
    return await(store.create(new SubscriptionStore.NewSubscription(UUID.randomUUID().toString(), department, "client-1",
        "300001/" + System.nanoTime(), "https://example.com/hook", WebhookSecrets.newSalt()), 100, NONE)).orElseThrow();
  }

  @Test
  void claim_splitsLapsedLeasesBetweenInstancesSweepingAtOnce_andRenewsOnlyItsOwnWhenHalfGone() {
    Set<String> mine = new HashSet<>();
    for (int i = 0; i < 8; i++) {
      mine.add(create("D-claim").id());
    }
    Future<List<Subscription>> a = store.claim("node-a", 60_000, 5);
    Future<List<Subscription>> b = store.claim("node-b", 60_000, 100);
    Set<String> byA = ids(await(a), mine);
    Set<String> byB = ids(await(b), mine);
    assertThat(byA).doesNotContainAnyElementsOf(byB);
    Set<String> both = new HashSet<>(byA);
    both.addAll(byB);
    assertThat(both).isEqualTo(mine);
    assertThat(ids(await(store.claim("node-c", 60_000, 100)), mine)).as("held leases are not taken").isEmpty();
    assertThat(ids(await(store.claim("node-b", 60_000, 100)), mine)).as("fresh leases are not renewed at every sweep").isEmpty();
    // once half of its lease is gone (here: a 60 s lease measured against 200 s) the owner renews its own, and only its own
    assertThat(ids(await(store.claim("node-b", 200_000, 100)), mine)).isEqualTo(byB);
  }

  @Test
  void acknowledge_onlyByTheOwner_fromTheSeqItStartedAt() {
    Subscription s = create("D-ack");
    await(store.claim("node-a", 60_000, 1000));
    assertThat(await(store.acknowledge(s.id(), "node-b", s.lastDeliveredSeq(), s.lastDeliveredSeq() + 5, NONE))).isFalse();
    assertThat(await(store.acknowledge(s.id(), "node-a", s.lastDeliveredSeq() + 1, s.lastDeliveredSeq() + 5, NONE))).isFalse();
    assertThat(await(store.acknowledge(s.id(), "node-a", s.lastDeliveredSeq(), s.lastDeliveredSeq() + 5, NONE))).isTrue();
    assertThat(await(store.find(s.id())).orElseThrow().lastDeliveredSeq()).isEqualTo(s.lastDeliveredSeq() + 5);
    assertThat(await(store.renew(s.id(), "node-b", 60_000))).isEmpty();
    assertThat(await(store.renew(s.id(), "node-a", 60_000))).isPresent();
  }

  @Test
  void lapsedLease_cannotBeRenewed_andIsTakenOverFromTheLastAcknowledgement() throws Exception {
    Subscription s = create("D-lapse");
    await(store.claim("node-a", 60_000, 1000));
    await(store.acknowledge(s.id(), "node-a", s.lastDeliveredSeq(), s.lastDeliveredSeq() + 3, NONE));
    await(store.renew(s.id(), "node-a", 1)); // node-a stops renewing: its lease lapses
    Thread.sleep(50);
    assertThat(await(store.renew(s.id(), "node-a", 60_000))).isEmpty();
    Optional<Subscription> taken = await(store.claim("node-b", 60_000, 1000)).stream().filter(x -> x.id().equals(s.id())).findFirst();
    assertThat(taken).hasValueSatisfying(t -> {
      assertThat(t.owner()).isEqualTo("node-b");
      assertThat(t.lastDeliveredSeq()).isEqualTo(s.lastDeliveredSeq() + 3);
    });
    // the old owner's late acknowledgement of a batch it sent changes nothing
    assertThat(await(store.acknowledge(s.id(), "node-a", s.lastDeliveredSeq() + 3, s.lastDeliveredSeq() + 9, NONE))).isFalse();
  }

  @Test
  void create_keepsTheLimitUnderConcurrentRequests() {
    String department = "D-limit-" + System.nanoTime();
    List<Future<Optional<Subscription>>> all = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      all.add(store.create(new SubscriptionStore.NewSubscription(UUID.randomUUID().toString(), department, "c", "300001/000001",
          "https://example.com/hook", WebhookSecrets.newSalt()), 3, NONE));
    }
    long made = all.stream().map(PgSubscriptionStoreIT::await).filter(Optional::isPresent).count();
    assertThat(made).isEqualTo(3);
    assertThat(await(store.list(department, null, 100))).hasSize(3);
  }

  private static Set<String> ids(List<Subscription> claimed, Set<String> among) {
    Set<String> out = new HashSet<>();
    claimed.forEach(s -> {
      if (among.contains(s.id())) {
        out.add(s.id());
      }
    });
    return out;
  }

  static <T> T await(Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
