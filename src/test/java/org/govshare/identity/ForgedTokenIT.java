package org.govshare.identity;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.util.Base64;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.govshare.testing.Http;
import org.govshare.testing.TestServer;
import org.govshare.testing.TestServer.Client;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Tokens signed with the platform's real key (read from the database, as someone who stole it
 * would) but whose claims are not what the client holds now, or are junk: always 401, never 500.
 */
class ForgedTokenIT {
  private static final TestServer SERVER = TestServer.shared();
  private static JWTAuth signer;
  private static Client consumer;
  private final Http http = SERVER.http();

  @BeforeAll
  static void stealKey() throws Exception {
    byte[] key = EscalationIT.await(SERVER.platform().pool().preparedQuery("SELECT secret FROM signing_key WHERE id = 'hs256-1'")
        .execute()).iterator().next().getBuffer(0).getBytes();
    signer = JWTAuth.create(SERVER.platform().vertx(), new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(Base64.getEncoder().encodeToString(key))));
    consumer = SERVER.client(SERVER.department("FORGE"), "CONSUMER");
    SERVER.tokenFor(consumer); // the server knows the client's state
  }

  private static JsonObject honest() {
    return new JsonObject().put("sub", consumer.clientId()).put("dept", consumer.department())
        .put("roles", new JsonArray().add("CONSUMER")).put("cv", 1).put("iss", "govshare")
        .put("exp", System.currentTimeMillis() / 1000 + 600);
  }

  private static String sign(JsonObject claims) {
    return signer.generateToken(claims, new JWTOptions().setAlgorithm("HS256"));
  }

  @Test
  void honestClaims_withTheRealKey_work() {
    http.get("/api/v1/departments").as(sign(honest())).expect(200);
  }

  static Stream<Arguments> forgeries() {
    return Stream.of(
        forgery("more roles than the client holds", c -> c.put("roles", new JsonArray().add("CONSUMER").add("PLATFORM_ADMIN"))),
        forgery("only a role the client lacks", c -> c.put("roles", new JsonArray().add("PLATFORM_ADMIN"))),
        forgery("another department", c -> c.put("dept", "BUREAU")),
        forgery("an older credential version", c -> c.put("cv", 0)),
        forgery("dept null", c -> c.putNull("dept")),
        forgery("dept a number", c -> c.put("dept", 7)),
        forgery("exp a string", c -> c.put("exp", "tomorrow")),
        forgery("exp a fraction", c -> c.put("exp", System.currentTimeMillis() / 1000 + 600.5)),
        forgery("exp missing", c -> c.remove("exp")),
        forgery("exp past", c -> c.put("exp", 1)),
        forgery("sub missing", c -> c.remove("sub")),
        forgery("sub a number", c -> c.put("sub", 42)),
        forgery("sub unknown", c -> c.put("sub", "nobody-at-all")),
        forgery("roles a string", c -> c.put("roles", "PLATFORM_ADMIN")),
        forgery("roles with an unknown role", c -> c.put("roles", new JsonArray().add("ROOT"))),
        forgery("roles with a number", c -> c.put("roles", new JsonArray().add(1))),
        forgery("roles null", c -> c.putNull("roles")),
        forgery("cv a string", c -> c.put("cv", "1")),
        forgery("cv missing", c -> c.remove("cv")),
        forgery("iat a string", c -> c.put("iat", "now")),
        forgery("nbf a string", c -> c.put("nbf", "later")),
        forgery("iss another", c -> c.put("iss", "someone-else")));
  }

  private static Arguments forgery(String what, Consumer<JsonObject> change) {
    return Arguments.of(what, change);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("forgeries")
  void forgedOrJunkClaims_are401(String what, Consumer<JsonObject> change) {
    JsonObject claims = honest();
    change.accept(claims);
    String token = sign(claims);
    http.get("/api/v1/departments").as(token).expectProblem(401, "UNAUTHENTICATED");
    http.get("/api/v1/departments/" + consumer.department() + "/clients").as(token).expectProblem(401, "UNAUTHENTICATED");
  }
}
