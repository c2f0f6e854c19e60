package org.govshare.push.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.govshare.push.webhook.WebhookWorld.eventually;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.govshare.push.webhook.WebhookWorld.Party;
import org.govshare.testing.TestServer;
import org.junit.jupiter.api.Test;

/** Deliveries live in the database: a platform stopped with undelivered changes delivers them, in order and once, after it starts again. */
class WebhookRestartIT {
  @Test
  void restart_inTheMiddle_deliversEveryEventOnceInOrder() {
    Path data = TestServer.tempDataDir();
    try (Receiver receiver = new Receiver()) {
      TestServer server = TestServer.start(data, WebhookIT.FAST);
      Party provider = WebhookWorld.party(server, "WRP", "PROVIDER");
      Party consumer = WebhookWorld.party(server, "WRC", "CONSUMER");
      String code = WebhookWorld.resource(server, provider);
      WebhookWorld.grant(server, provider, consumer, code);
      JsonObject created = WebhookWorld.subscribe(server, consumer, code, receiver.url());
      String id = created.getString("id");
      receiver.expect(id, created.getString("secret"));

      JsonObject first = WebhookWorld.upload(server, provider, code, "x", 1, 12);
      eventually(30, "the first part delivered", () -> receiver.seqs(id).size() >= 5);
      receiver.down();
      JsonObject second = WebhookWorld.upload(server, provider, code, "y", 1, 15);
      eventually(30, "attempts failing", () -> WebhookWorld.subscription(server, consumer, id).getInteger("failures") >= 1);
      server.close();

      receiver.up();
      TestServer again = TestServer.start(data, WebhookIT.FAST);
      try {
        eventually(30, "everything delivered after the restart", () -> receiver.seqs(id).size() >= 27);
        Party sameConsumer = new Party(consumer.department(), consumer.token()); // tokens survive: the signing key is in the database
        eventually(10, "acknowledged", () -> WebhookWorld.subscription(again, sameConsumer, id).getLong("lastDeliveredSeq")
            .equals(second.getLong("lastSeq")));
        assertThat(receiver.seqs(id)).containsExactlyElementsOf(WebhookWorld.range(first.getLong("firstSeq"), second.getLong("lastSeq")));
        assertThat(receiver.problems).isEmpty();
      } finally {
        again.close();
      }
    }
  }
}
