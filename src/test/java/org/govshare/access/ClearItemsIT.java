package org.govshare.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.govshare.access.DataWorld.id;
import static org.govshare.access.DataWorld.person;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.govshare.access.DataWorld.Party;
import org.govshare.testing.Http;
import org.govshare.testing.TestServer;
import org.junit.jupiter.api.Test;

/** clearItems over HTTP: the provider's decision names the sensitive items a consumer reads unmasked, for as long as the grant is in force. */
class ClearItemsIT {
  private final DataWorld w = new DataWorld(TestServer.shared());
  private final Http http = w.http;

  private String apply(Party consumer, String code, String... items) {
    return http.post("/api/v1/applications", new JsonObject().put("resource", code).put("items", new JsonArray(List.of((Object[]) items)))
        .put("purpose", "核验最低生活保障申请人的身份信息").put("usage", "DATA_VERIFICATION")).as(consumer.token()).expect(201).json().getString("id");
  }

  private Http.Call decide(Party provider, String application, JsonObject decision) {
    return http.post("/api/v1/applications/" + application + "/decision", decision).as(provider.token());
  }

  @Test
  void read_sensitiveItemClearOnlyWhileAGrantInForceListsIt() {
    Party provider = w.party("GA", "PROVIDER");
    Party masked = w.party("MZ", "CONSUMER");
    Party clear = w.party("RS", "CONSUMER");
    String code = w.personResource(provider, "PUBLISHED");
    String a = id("410727", "19900307", "123");
    w.upload(code, person(a, "张三", 3200, "河南省新乡市")).as(provider.token()).expect(200);

    w.grant(provider, masked, code, "id_number", "income");
    JsonObject withoutClear = w.read(code, a).as(masked.token()).expect(200).json();
    assertThat(withoutClear.getJsonObject("record").getString("id_number")).isEqualTo("410727********" + a.substring(14));
    assertThat(withoutClear.getJsonArray("masked")).containsExactly("id_number");

    JsonObject decided = decide(provider, apply(clear, code, "id_number", "income"), new JsonObject().put("decision", "APPROVE")
        .put("clearItems", new JsonArray().add("id_number"))).expect(200).json();
    assertThat(decided.getJsonObject("decision").getJsonArray("clearItems")).containsExactly("id_number");
    String grant = decided.getString("grant");
    assertThat(http.get("/api/v1/grants/" + grant).as(clear.token()).expect(200).json().getJsonArray("clearItems")).containsExactly("id_number");
    assertThat(http.get("/api/v1/grants/check?resource=" + DataWorld.enc(code)).as(clear.token()).expect(200).json().getJsonArray("clear"))
        .containsExactly("id_number");

    JsonObject unmasked = w.read(code, a).as(clear.token()).expect(200).json();
    assertThat(unmasked.getJsonObject("record").getString("id_number")).isEqualTo(a);
    assertThat(unmasked.getJsonArray("masked")).isEmpty();
    JsonObject looked = w.lookup(code, a).as(clear.token()).expect(200).json().getJsonArray("records").getJsonObject(0);
    assertThat(looked.getJsonObject("record").getString("id_number")).isEqualTo(a);
    // the other consumer's grant is not touched by this one
    assertThat(w.read(code, a).as(masked.token()).expect(200).json().getJsonArray("masked")).containsExactly("id_number");

    http.post("/api/v1/grants/" + grant + "/revoke", new JsonObject().put("reason", "核验任务已经完成，不再需要明文身份号码")).as(provider.token())
        .expect(200);
    w.read(code, a).as(clear.token()).expectProblem(403, "FORBIDDEN");
    // a new grant without clearItems: the ID is masked again, the old grant's clear items are gone with it
    w.grant(provider, clear, code, "id_number", "income");
    JsonObject again = w.read(code, a).as(clear.token()).expect(200).json();
    assertThat(again.getJsonObject("record").getString("id_number")).isEqualTo("410727********" + a.substring(14));
    assertThat(again.getJsonArray("masked")).containsExactly("id_number");
  }

  @Test
  void decide_refusesClearItemsThatAreNotGrantedSensitiveItems_andChangesNothing() {
    Party provider = w.party("GA", "PROVIDER");
    Party consumer = w.party("MZ", "CONSUMER");
    String code = w.personResource(provider, "PUBLISHED");
    String app = apply(consumer, code, "id_number", "income");

    JsonObject notGranted = decide(provider, app, new JsonObject().put("decision", "APPROVE").put("items", new JsonArray().add("income"))
        .put("clearItems", new JsonArray().add("id_number"))).expectProblem(422, "VALIDATION_FAILED").json();
    assertThat(notGranted.getJsonArray("errors").getJsonObject(0).getString("field")).isEqualTo("clearItems[0]");
    assertThat(notGranted.getJsonArray("errors").getJsonObject(0).getString("message")).contains("not among the items");

    JsonObject notSensitive = decide(provider, app, new JsonObject().put("decision", "APPROVE")
        .put("clearItems", new JsonArray().add("income"))).expectProblem(422, "VALIDATION_FAILED").json();
    assertThat(notSensitive.getJsonArray("errors").getJsonObject(0).getString("message")).contains("not a sensitive item");

    JsonObject twiceAndUnknown = decide(provider, app, new JsonObject().put("decision", "APPROVE")
        .put("clearItems", new JsonArray().add("id_number").add("id_number").add("shoe_size"))).expectProblem(422, "VALIDATION_FAILED").json();
    assertThat(twiceAndUnknown.getJsonArray("errors").stream().map(e -> ((JsonObject) e).getString("field")))
        .containsExactly("clearItems[1]", "clearItems[2]");

    decide(provider, app, new JsonObject().put("decision", "REJECT").put("reason", "申请用途超出低保核验范围")
        .put("clearItems", new JsonArray().add("id_number"))).expectProblem(422, "VALIDATION_FAILED");
    decide(provider, app, new JsonObject().put("decision", "APPROVE").put("clearItems", "id_number")).expectProblem(400, "VALIDATION_FAILED");

    JsonObject still = http.get("/api/v1/applications/" + app).as(consumer.token()).expect(200).json();
    assertThat(still.getString("status")).isEqualTo("PENDING");
    JsonObject approved = decide(provider, app, new JsonObject().put("decision", "APPROVE")).expect(200).json();
    assertThat(approved.getJsonObject("decision").getJsonArray("clearItems")).isEmpty();
  }
}
