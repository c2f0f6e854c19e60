package org.govshare.push.webhook;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A webhook receiver on loopback, written as a subscriber would: it checks every delivery's signature
 * (HMAC-SHA256 over {@code timestamp.body} with the secret it was given) and its timestamp, and keeps
 * the events of each subscription in arrival order. It can be taken down (port closed) and brought
 * back on the same port.
 */
final class Receiver implements AutoCloseable {
  private final Vertx vertx = Vertx.vertx();
  private final Map<String, String> secrets = new ConcurrentHashMap<>();
  private final Map<String, List<JsonObject>> events = new ConcurrentHashMap<>();
  final List<String> problems = new CopyOnWriteArrayList<>();
  final AtomicInteger posts = new AtomicInteger();
  private volatile int answer = 204;
  private HttpServer server;
  private int port;

  Receiver() {
    up();
  }

  String url() {
    return "http://127.0.0.1:" + port + "/hook";
  }

  void expect(String subscription, String secret) {
    secrets.put(subscription, secret);
  }

  /** What the receiver answers from now on (a 5xx: it is there but failing). */
  void answer(int status) {
    answer = status;
  }

  synchronized void up() {
    if (server != null) {
      return;
    }
    HttpServer s = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
      posts.incrementAndGet();
      String sub = req.getHeader("X-Govshare-Subscription");
      String ts = req.getHeader("X-Govshare-Timestamp");
      String sig = req.getHeader("X-Govshare-Signature");
      JsonObject json = new JsonObject(body);
      String named = json.getString("subscription");
      String secret = secrets.get(named);
      if (secret == null || ts == null || sig == null || !named.equals(sub)) {
        problems.add("unexpected delivery for " + named + " headers " + req.headers().entries());
      } else if (!MessageDigest.isEqual(sig.getBytes(StandardCharsets.US_ASCII), expected(secret, ts, body.getBytes()))) {
        problems.add("bad signature on a delivery to " + named);
      } else if (Math.abs(System.currentTimeMillis() / 1000 - Long.parseLong(ts)) > 300) {
        problems.add("stale timestamp " + ts);
      }
      int status = answer;
      if (status < 300) {
        List<JsonObject> got = events.computeIfAbsent(named, k -> new CopyOnWriteArrayList<>());
        json.getJsonArray("events").forEach(e -> got.add((JsonObject) e));
      }
      req.response().setStatusCode(status).end();
    }));
    server = await(s.listen(port, "127.0.0.1"));
    port = server.actualPort();
  }

  synchronized void down() {
    if (server != null) {
      await(server.close());
      server = null;
    }
  }

  List<JsonObject> events(String subscription) {
    return new ArrayList<>(events.getOrDefault(subscription, List.of()));
  }

  List<Long> seqs(String subscription) {
    return events(subscription).stream().filter(e -> !"END".equals(e.getString("op"))).map(e -> e.getLong("seq")).toList();
  }

  private static byte[] expected(String secret, String ts, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      mac.update((ts + ".").getBytes(StandardCharsets.UTF_8));
      return ("sha256=" + HexFormat.of().formatHex(mac.doFinal(body))).getBytes(StandardCharsets.US_ASCII);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static <T> T await(io.vertx.core.Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    down();
    vertx.close();
  }
}
