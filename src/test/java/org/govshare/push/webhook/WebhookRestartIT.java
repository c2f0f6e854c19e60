package org.govshare.push.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.govshare.push.webhook.PushWorld.eventually;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.govshare.push.webhook.PushWorld.Party;
import org.govshare.testing.TestServer;
import org.junit.jupiter.api.Test;

/** Deliveries live in the database: a platform stopped with undelivered changes delivers them, in order and once, after it starts again. */
class WebhookRestartIT {
  @Test
  void restart_inTheMiddle_deliversEveryEventOnceInOrder() {
    Path data = TestServer.tempDataDir();
    try (Receiver receiver = new Receiver()) {
      TestServer server = TestServer.start(data, WebhookIT.FAST);
      Party provider = PushWorld.party(server, "WRP", "PROVIDER");
      Party consumer = PushWorld.party(server, "WRC", "CONSUMER");
      String code = PushWorld.resource(server, provider);
      PushWorld.grant(server, provider, consumer, code);
      JsonObject created = PushWorld.subscribe(server, consumer, code, receiver.url());
      String id = created.getString("id");
      receiver.expect(id, created.getString("secret"));

      JsonObject first = PushWorld.upload(server, provider, code, "x", 1, 12);
      eventually(30, "the first part delivered", () -> receiver.seqs(id).size() >= 5);
      receiver.down();
      JsonObject second = PushWorld.upload(server, provider, code, "y", 1, 15);
      eventually(30, "attempts failing", () -> PushWorld.subscription(server, consumer, id).getInteger("failures") >= 1);
      server.close();

      receiver.up();
      TestServer again = TestServer.start(data, WebhookIT.FAST);
      try {
        eventually(30, "everything delivered after the restart", () -> receiver.seqs(id).size() >= 27);
        Party sameConsumer = new Party(consumer.department(), consumer.token()); // tokens survive: the signing key is in the database
        eventually(10, "acknowledged", () -> PushWorld.subscription(again, sameConsumer, id).getLong("lastDeliveredSeq")
            .equals(second.getLong("lastSeq")));
        assertThat(receiver.seqs(id)).containsExactlyElementsOf(PushWorld.range(first.getLong("firstSeq"), second.getLong("lastSeq")));
        assertThat(receiver.problems).isEmpty();
      } finally {
        again.close();
      }
    }
  }
}
