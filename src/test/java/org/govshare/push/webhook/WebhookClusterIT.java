package org.govshare.push.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.govshare.push.webhook.WebhookWorld.eventually;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.govshare.push.webhook.WebhookWorld.Party;
import org.govshare.testing.TestServer;
import org.junit.jupiter.api.Test;

/**
 * Two instances on one database (no Hazelcast: the lease and the commit signal live in PostgreSQL):
 * every event reaches every subscription once, in order, while changes are made on both and one
 * instance stops; a lease held by an instance that died is taken over once it lapses.
 */
class WebhookClusterIT {
  @Test
  void twoInstances_deliverEachEventOnce_andTakeOverFromAStoppedOne() {
    try (Receiver receiver = new Receiver()) {
      TestServer a = TestServer.start(WebhookIT.FAST);
      TestServer b = a.secondInstance(WebhookIT.FAST);
      try {
        Party provider = WebhookWorld.party(a, "WCP", "PROVIDER");
        Party consumer = WebhookWorld.party(a, "WCC", "CONSUMER");
        String code = WebhookWorld.resource(a, provider);
        WebhookWorld.grant(a, provider, consumer, code);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
          JsonObject created = WebhookWorld.subscribe(i % 2 == 0 ? a : b, consumer, code, receiver.url());
          receiver.expect(created.getString("id"), created.getString("secret"));
          ids.add(created.getString("id"));
        }
        JsonObject first = WebhookWorld.upload(a, provider, code, "a", 1, 10);
        WebhookWorld.upload(b, provider, code, "b", 1, 10);
        eventually(30, "both uploads delivered to every subscription", () -> ids.stream().allMatch(id -> receiver.seqs(id).size() >= 20));

        b.close(); // a clean stop releases b's leases: a takes over at once (a runs the database, so b is the one to stop)
        JsonObject last = WebhookWorld.upload(a, provider, code, "c", 1, 10);
        eventually(30, "the last upload delivered by the survivor", () -> ids.stream().allMatch(id -> receiver.seqs(id).size() >= 30));
        for (String id : ids) {
          assertThat(receiver.seqs(id)).as("subscription %s", id)
              .containsExactlyElementsOf(WebhookWorld.range(first.getLong("firstSeq"), last.getLong("lastSeq")));
        }
        assertThat(receiver.problems).isEmpty();
      } finally {
        b.close();
        a.close();
      }
    }
  }

  @Test
  void leaseOfADeadInstance_isTakenOverOnceItLapses() {
    try (Receiver receiver = new Receiver()) {
      TestServer server = TestServer.start(WebhookIT.FAST);
      try {
        Party provider = WebhookWorld.party(server, "WDP", "PROVIDER");
        Party consumer = WebhookWorld.party(server, "WDC", "CONSUMER");
        String code = WebhookWorld.resource(server, provider);
        WebhookWorld.grant(server, provider, consumer, code);
        JsonObject created = WebhookWorld.subscribe(server, consumer, code, receiver.url());
        String id = created.getString("id");
        receiver.expect(id, created.getString("secret"));
        // as if an instance that has since died had claimed it: its lease holds for 3 s more
        sql(server, "UPDATE webhook_subscription SET owner = 'dead-node', lease_until = now() + interval '3 seconds' WHERE id = $1", id);
        JsonObject up = WebhookWorld.upload(server, provider, code, "z", 1, 5);
        WebhookIT.sleep(1_500);
        assertThat(receiver.seqs(id)).as("nothing while another owner's lease holds").isEmpty();
        eventually(30, "taken over after the lease lapsed", () -> receiver.seqs(id).size() == 5);
        assertThat(receiver.seqs(id)).containsExactlyElementsOf(WebhookWorld.range(up.getLong("firstSeq"), up.getLong("lastSeq")));
      } finally {
        server.close();
      }
    }
  }

  static void sql(TestServer server, String statement, String arg) {
    try {
      server.platform().pool().preparedQuery(statement).execute(Tuple.of(arg)).toCompletionStage().toCompletableFuture()
          .get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
