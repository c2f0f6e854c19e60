import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Commit-to-delivery latency of push (C7) against a running govshare on 127.0.0.1. Subscribers open
 * event streams; a driver uploads NDJSON at a fixed rate; each subscriber takes the receive time of
 * every event minus its {@code at} (the change's transaction start in PostgreSQL, same machine clock,
 * so the figure includes the write transaction itself: an upper bound of commit-to-delivery).
 *
 * <p>Commit lies between the transaction start ({@code at}) and the moment the upload's reply arrived
 * (the ack), so each delivery gives an upper bound (receive − {@code at}) and a lower bound (receive −
 * ack, 0 when the event came before the ack); both are reported.
 *
 * <p>java PushLatency.java BASE PROVIDER_TOKEN CONSUMER_TOKEN CODE SUBSCRIBERS RECORDS_PER_S SECONDS [BATCH]
 *
 * <p>Other kinds of subscriber record into the same {@link Latencies} under their own channel name: the
 * webhook benchmark adds its receivers (channel "webhook") beside {@link #sse} in {@link #main}.
 */
public final class PushLatency {
  static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** Latencies per channel, in microseconds, after the warm-up. */
  static final class Latencies {
    final Map<String, List<long[]>> perChannel = new ConcurrentHashMap<>();
    final Map<String, AtomicLong> count = new ConcurrentHashMap<>();
    volatile boolean measuring;

    void record(String channel, long micros) {
      if (!measuring) {
        return;
      }
      count.computeIfAbsent(channel, c -> new AtomicLong()).incrementAndGet();
      List<long[]> chunks = perChannel.computeIfAbsent(channel, c -> new ArrayList<>());
      synchronized (chunks) {
        if (chunks.isEmpty() || chunks.get(chunks.size() - 1)[0] == 4095) {
          chunks.add(new long[4096]);
        }
        long[] last = chunks.get(chunks.size() - 1);
        last[(int) ++last[0]] = micros;
      }
    }

    void report(String label) {
      perChannel.forEach((channel, chunks) -> {
        long[] all;
        synchronized (chunks) {
          all = chunks.stream().flatMapToLong(c -> Arrays.stream(c, 1, (int) c[0] + 1)).toArray();
        }
        Arrays.sort(all);
        if (all.length == 0) {
          return;
        }
        System.out.printf("%s %s: %d deliveries, p50 %.1f ms, p99 %.1f ms, max %.1f ms%n", label, channel, all.length,
            all[all.length / 2] / 1000.0, all[(int) Math.min(all.length - 1, Math.ceil(all.length * 0.99) - 1)] / 1000.0,
            all[all.length - 1] / 1000.0);
      });
    }
  }

  public static void main(String[] args) throws Exception {
    String base = args[0];
    String provider = args[1];
    String consumer = args[2];
    String code = args[3];
    int subscribers = Integer.parseInt(args[4]);
    int rate = Integer.parseInt(args[5]);
    int seconds = Integer.parseInt(args[6]);
    int batch = args.length > 7 ? Integer.parseInt(args[7]) : 50;
    Latencies latencies = new Latencies();
    Map<Long, Long> acks = new ConcurrentHashMap<>();
    AtomicLong lost = new AtomicLong();
    CountDownLatch open = new CountDownLatch(subscribers);
    List<Thread> readers = new ArrayList<>();
    for (int i = 0; i < subscribers; i++) {
      readers.add(sse(base, consumer, code, latencies, open, lost, acks, batch));
    }
    // webhook subscribers (WEBHOOKS, default none) record under channel "webhook"
    int webhookCount = Integer.parseInt(System.getenv().getOrDefault("WEBHOOKS", "0"));
    AtomicLong badSignatures = new AtomicLong();
    List<String> subscriptions = new ArrayList<>();
    com.sun.net.httpserver.HttpServer receiver = webhookCount == 0 ? null
        : webhooks(base, consumer, code, webhookCount, latencies, badSignatures, subscriptions);
    if (!open.await(60, TimeUnit.SECONDS)) {
      throw new IllegalStateException("not every subscriber could open its stream (see push.max-streams-per-department)");
    }
    String path = base + "/api/v1/resources/" + code.replace("/", "%2F") + "/records";
    long warmup = Math.min(10, Math.max(2, seconds / 4));
    long total = warmup + seconds;
    long periodNanos = 1_000_000_000L * batch / rate;
    long start = System.nanoTime();
    long sent = 0;
    long slowUploads = 0;
    AtomicLong failed = new AtomicLong();
    AtomicLong inFlight = new AtomicLong();
    Latencies uploads = new Latencies();
    List<java.util.concurrent.CompletableFuture<?>> pending = new ArrayList<>();
    for (long n = 0; ; n++) {
      long due = start + n * periodNanos;
      long now = System.nanoTime();
      if (now - start > total * 1_000_000_000L) {
        break;
      }
      if (!latencies.measuring && now - start > warmup * 1_000_000_000L) {
        latencies.measuring = true;
        uploads.measuring = true;
      }
      if (due > now) {
        Thread.sleep((due - now) / 1_000_000, (int) ((due - now) % 1_000_000));
      } else if (now - due > periodNanos) {
        slowUploads++;
      }
      StringBuilder body = new StringBuilder();
      for (int i = 0; i < batch; i++) {
        long k = n * batch + i;
        body.append("{\"case_no\":\"L-").append(k).append("\",\"name\":\"名").append(k).append("\",\"phone\":\"138")
            .append(String.format("%08d", k % 100_000_000)).append("\"}\n");
      }
      long batchNo = n;
      long sentAt = System.nanoTime();
      if (inFlight.get() > 64) {
        slowUploads++; // the server does not keep up: do not queue without bound
        continue;
      }
      inFlight.incrementAndGet();
      pending.add(CLIENT.sendAsync(HttpRequest.newBuilder(URI.create(path)).header("Authorization", "Bearer " + provider)
          .header("Content-Type", "application/x-ndjson").POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
          HttpResponse.BodyHandlers.ofString()).whenComplete((r, e) -> {
            inFlight.decrementAndGet();
            acks.put(batchNo, nowMicros());
            uploads.record("upload reply", (System.nanoTime() - sentAt) / 1000);
            if (e != null || r.statusCode() != 200) {
              failed.incrementAndGet();
            }
          }));
      sent += batch;
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    java.util.concurrent.CompletableFuture.allOf(pending.toArray(java.util.concurrent.CompletableFuture[]::new))
        .exceptionally(e -> null).get(60, TimeUnit.SECONDS);
    Thread.sleep(1_000); // the last events arrive
    latencies.measuring = false;
    System.out.printf("ingested %d records in %.1f s = %.0f records/s (target %d/s, batches of %d; %d uploads started late)%n", sent,
        elapsed, sent / elapsed, rate, batch, slowUploads);
    if (failed.get() > 0) {
      System.out.println("uploads failed: " + failed.get());
    }
    uploads.report("ingestion");
    latencies.report(subscribers + " subscribers");
    if (receiver != null) {
      System.out.printf("webhook subscriptions: %d, deliveries with a bad signature: %d%n", webhookCount, badSignatures.get());
      unsubscribe(base, consumer, subscriptions);
      receiver.stop(0);
    }
    if (lost.get() > 0) {
      System.out.println("streams that ended early: " + lost.get());
    }
    System.exit(0);
  }

  /** One event-stream subscriber on its own thread. */
  static long nowMicros() {
    java.time.Instant now = java.time.Instant.now();
    return now.getEpochSecond() * 1_000_000 + now.getNano() / 1000;
  }

  static Thread sse(String base, String token, String code, Latencies latencies, CountDownLatch open, AtomicLong lost,
      Map<Long, Long> acks, int batch) {
    Thread t = new Thread(() -> {
      try {
        HttpResponse<Stream<String>> r = CLIENT.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/data/" + code.replace("/", "%2F")
            + "/changes")).header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofLines());
        if (r.statusCode() != 200) {
          System.err.println("stream refused: " + r.statusCode() + " " + String.join("", r.body().toList()));
          return;
        }
        open.countDown();
        r.body().forEach(line -> {
          if (line.startsWith("data: ")) {
            long received = nowMicros();
            int at = line.indexOf("\"at\":\"");
            int key = line.indexOf("\"key\":\"L-");
            if (at > 0 && key > 0) {
              String text = line.substring(at + 6, line.indexOf('"', at + 6));
              OffsetDateTime started = OffsetDateTime.parse(text);
              long micros = started.toEpochSecond() * 1_000_000 + started.getNano() / 1000;
              latencies.record("sse (upper bound: from transaction start)", Math.max(0, received - micros));
              long k = Long.parseLong(line.substring(key + 9, line.indexOf('"', key + 9)));
              Long ack = acks.get(k / batch);
              latencies.record("sse (lower bound: from upload reply)", ack == null ? 0 : Math.max(0, received - ack));
            }
          } else if (line.startsWith("event: end")) {
            lost.incrementAndGet();
          }
        });
      } catch (Exception e) {
        lost.incrementAndGet();
      }
    }, "sse-subscriber");
    t.setDaemon(true);
    t.start();
    return t;
  }

  /**
   * {@code count} webhook subscriptions of the consumer, all delivered to one receiver on 127.0.0.1 (the
   * JDK's HTTP server) that checks each delivery's signature and records, per event, receive time
   * minus {@code at} under channel "webhook". The server must allow plain http to 127.0.0.1
   * ({@code GOVSHARE_WEBHOOK_ALLOWED_HTTP_HOSTS}, set by run.sh).
   */
  static com.sun.net.httpserver.HttpServer webhooks(String base, String token, String code, int count, Latencies latencies,
      AtomicLong badSignatures, List<String> made) throws Exception {
    Map<String, byte[]> secrets = new ConcurrentHashMap<>();
    com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
        new java.net.InetSocketAddress("127.0.0.1", 0), 256);
    server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(8));
    java.util.regex.Pattern at = java.util.regex.Pattern.compile("\"at\":\"([^\"]+)\"");
    server.createContext("/hook", exchange -> {
      byte[] body = exchange.getRequestBody().readAllBytes();
      java.time.Instant arrived = java.time.Instant.now();
      long received = arrived.getEpochSecond() * 1_000_000 + arrived.getNano() / 1000;
      String sub = exchange.getRequestHeaders().getFirst("X-Govshare-Subscription");
      String ts = exchange.getRequestHeaders().getFirst("X-Govshare-Timestamp");
      String sig = exchange.getRequestHeaders().getFirst("X-Govshare-Signature");
      byte[] secret = sub == null ? null : secrets.get(sub);
      try {
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        if (secret == null || ts == null || sig == null) {
          badSignatures.incrementAndGet();
        } else {
          mac.init(new javax.crypto.spec.SecretKeySpec(secret, "HmacSHA256"));
          mac.update((ts + ".").getBytes(StandardCharsets.UTF_8));
          String expected = "sha256=" + java.util.HexFormat.of().formatHex(mac.doFinal(body));
          if (!expected.equals(sig)) {
            badSignatures.incrementAndGet();
          }
        }
      } catch (java.security.GeneralSecurityException e) {
        badSignatures.incrementAndGet();
      }
      java.util.regex.Matcher m = at.matcher(new String(body, StandardCharsets.UTF_8));
      while (m.find()) {
        OffsetDateTime committed = OffsetDateTime.parse(m.group(1));
        latencies.record("webhook", Math.max(0, received - (committed.toEpochSecond() * 1_000_000 + committed.getNano() / 1000)));
      }
      exchange.sendResponseHeaders(204, -1);
      exchange.close();
    });
    server.start();
    String callback = "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    for (int i = 0; i < count; i++) {
      HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/subscriptions"))
          .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"resource\":\"" + code + "\",\"callbackUrl\":\"" + callback + "\"}")).build(),
          HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 201) {
        throw new IllegalStateException("subscription refused: " + r.statusCode() + " " + r.body());
      }
      String id = field(r.body(), "id");
      secrets.put(id, field(r.body(), "secret").getBytes(StandardCharsets.UTF_8));
      made.add(id);
    }
    return server;
  }

  private static String field(String json, String name) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"" + name + "\":\"([^\"]+)\"").matcher(json);
    if (!m.find()) {
      throw new IllegalStateException(name + " missing in " + json);
    }
    return m.group(1);
  }

  static void unsubscribe(String base, String token, List<String> ids) throws Exception {
    for (String id : ids) {
      CLIENT.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/subscriptions/" + id)).header("Authorization", "Bearer " + token)
          .DELETE().build(), HttpResponse.BodyHandlers.discarding());
    }
  }
}
