package org.govshare.sharing;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.govshare.sharing.SharingWorld.Party;
import org.govshare.testing.Http;
import org.junit.jupiter.api.Test;

/** Each department's inbox: newest first, paged, read and unread, never another department's. */
class NotificationIT {
  private final SharingWorld world = new SharingWorld();
  private final Http http = world.http;

  @Test
  void inbox_newestFirst_readAndUnread_ownDepartmentOnly() {
    Party provider = world.party("YJJ2", "PROVIDER");
    Party consumer = world.party("JRB", "CONSUMER");
    for (int i = 0; i < 3; i++) {
      world.apply(consumer, world.resource(provider, "CONDITIONAL", "k=CONDITIONAL"), "k");
    }
    JsonObject inbox = http.get("/api/v1/notifications?limit=2").as(provider.token()).expect(200).json();
    assertThat(inbox.getString("department")).isEqualTo(provider.department());
    assertThat(inbox.getLong("unread")).isEqualTo(3);
    JsonArray first = inbox.getJsonArray("items");
    assertThat(first).hasSize(2);
    JsonObject newest = first.getJsonObject(0);
    assertThat(newest.getString("kind")).isEqualTo("APPLICATION_SUBMITTED");
    assertThat(newest.getBoolean("read")).isFalse();
    assertThat(newest.getString("message")).contains(consumer.department());
    assertThat(newest.getString("at")).endsWith("+08:00");
    assertThat(Long.parseLong(newest.getString("id"))).isGreaterThan(Long.parseLong(first.getJsonObject(1).getString("id")));
    JsonArray rest = http.get("/api/v1/notifications?limit=2&cursor=" + inbox.getString("nextCursor")).as(provider.token()).expect(200)
        .items();
    assertThat(rest).hasSize(1);

    // another department cannot read or mark it
    String id = newest.getString("id");
    http.post("/api/v1/notifications/" + id + "/read").as(consumer.token()).expectProblem(404, "NOT_FOUND");
    assertThat(http.get("/api/v1/notifications").as(consumer.token()).expect(200).items()).isEmpty();

    JsonObject read = http.post("/api/v1/notifications/" + id + "/read").as(provider.token()).expect(200).json();
    assertThat(read.getBoolean("read")).isTrue();
    assertThat(read.getString("readBy")).isEqualTo(provider.clientId());
    JsonObject unread = http.get("/api/v1/notifications?unread=true").as(provider.token()).expect(200).json();
    assertThat(unread.getJsonArray("items")).hasSize(2).noneMatch(n -> id.equals(((JsonObject) n).getString("id")));
    assertThat(unread.getLong("unread")).isEqualTo(2);
    assertThat(http.get("/api/v1/notifications?kind=APPLICATION_OVERDUE").as(provider.token()).expect(200).items()).isEmpty();

    assertThat(http.post("/api/v1/notifications/read").as(provider.token()).expect(200).json().getLong("marked")).isEqualTo(2);
    assertThat(http.get("/api/v1/notifications?unread=true").as(provider.token()).expect(200).items()).isEmpty();
    http.post("/api/v1/notifications/abc/read").as(provider.token()).expectProblem(404, "NOT_FOUND");
    http.get("/api/v1/notifications?unread=maybe").as(provider.token()).expectProblem(400, "VALIDATION_FAILED");
    http.get("/api/v1/notifications").expectProblem(401, "UNAUTHENTICATED");
  }

  @Test
  void notifier_filesWhatOtherCapabilitiesSend() {
    Party provider = world.party("TJJ2", "PROVIDER");
    SharingWorld.await(world.server.platform().notifier().notify(provider.department(), "CATALOG_FILED", "3/000042",
        "目录 3/000042 第 2 版已向大数据局备案"));
    JsonObject n = http.get("/api/v1/notifications").as(provider.token()).expect(200).items().getJsonObject(0);
    assertThat(n.getString("kind")).isEqualTo("CATALOG_FILED");
    assertThat(n.getString("subject")).isEqualTo("3/000042");
  }
}
