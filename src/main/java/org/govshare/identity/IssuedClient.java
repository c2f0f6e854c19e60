package org.govshare.identity;

import io.vertx.core.json.JsonObject;

/** A new client and its secret, which is shown once in the reply and stored only hashed. */
public record IssuedClient(ApiClient client, String secret) {
  public JsonObject toJson() {
    return client.toJson().put("clientSecret", secret);
  }

  @Override
  public String toString() {
    // a record would print the secret into any log line that mentions it
    return "IssuedClient[client=" + client.clientId() + ", secret=***]";
  }
}
