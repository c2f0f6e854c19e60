package org.govshare.access;

import io.netty.channel.ConnectTimeoutException;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.WriteStream;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.ext.web.codec.BodyCodec;
import java.net.URI;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.govshare.access.RecordSchema.LineError;
import org.govshare.platform.Problem;
import org.govshare.platform.config.GovshareConfig.ProxyConfig;

/**
 * The records of a PROXY resource, asked of the provider's registered interface one key at a time
 * (protocol in docs/data-plane.md, decisions in ADR 0008). Every call: the endpoint checked against
 * {@code proxy.allowed-hosts} before anything is sent, a permit of the provider's {@link ProviderGate},
 * the provider's circuit breaker, no redirects, a bounded reply, one deadline for the whole data
 * operation. What the provider answers is checked against the catalogue entry like an uploaded
 * line; items the entry does not name are dropped. Nothing is stored.
 */
public final class ProviderInterfaceSource implements RecordSource {
  /** The records found (keys not found are absent) and one audit entry per call made. */
  public record Fetched(List<StoredRecord> records, JsonArray upstream) {}

  private record Answer(int status, Buffer body) {}

  /** A 5xx: counted by the breaker as a failure, answered as 502. */
  private static final class UpstreamError extends RuntimeException {
    final int status;

    UpstreamError(int status) {
      super("status " + status, null, false, false);
      this.status = status;
    }
  }

  private static final class TooLarge extends RuntimeException {
    TooLarge() {
      super("reply too large", null, false, false);
    }
  }

  private final Vertx vertx;
  private final WebClient client;
  private final ProxyConfig config;
  private final ZoneId zone;
  private final Map<String, CircuitBreaker> breakers = new ConcurrentHashMap<>();
  private final Map<String, ProviderGate> gates = new ConcurrentHashMap<>();

  public ProviderInterfaceSource(Vertx vertx, ProxyConfig config, ZoneId zone) {
    this.vertx = vertx;
    this.config = config;
    this.zone = zone;
    this.client = WebClient.create(vertx, new WebClientOptions()
        .setFollowRedirects(false)
        .setConnectTimeout(config.connectTimeoutMs())
        .setIdleTimeout(config.responseTimeoutMs())
        .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
        .setUserAgent("govshare")
        .setVerifyHost(true),
        // the gate already bounds calls per provider; the pool must not add a second, hidden queue
        new PoolOptions().setHttp1MaxSize(config.maxConcurrent()));
  }

  /** Why an endpoint may not be called under {@code allowedHosts} ({@code proxy.allowed-hosts}), or empty. */
  public static java.util.Optional<String> refusal(String endpoint, List<String> allowedHosts) {
    try {
      ProviderEndpoint.checked(new RecordSchema.ProviderInterface(endpoint, "GET"), allowedHosts);
      return java.util.Optional.empty();
    } catch (ProviderEndpoint.NotAllowed e) {
      return java.util.Optional.of(e.getMessage());
    }
  }

  @Override
  public Future<List<StoredRecord>> fetch(RecordSchema resource, List<String> keys) {
    return fetchTraced(resource, keys).map(Fetched::records);
  }

  /**
   * One call per key, at most {@code proxy.lookup-parallelism} at once, all within
   * {@code proxy.response-timeout-ms}. The first failure fails the whole operation (502, 503 or
   * 504), its audit detail naming the calls made.
   */
  public Future<Fetched> fetchTraced(RecordSchema resource, List<String> keys) {
    Batch b = new Batch(resource, keys, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(config.responseTimeoutMs()),
        vertx.getOrCreateContext());
    List<Future<Void>> workers = new ArrayList<>();
    // never more at once than the provider's permits: a lookup must not be refused by its own calls
    int parallel = Math.min(Math.min(config.lookupParallelism(), config.maxConcurrent()), keys.size());
    for (int i = 0; i < parallel; i++) {
      workers.add(b.work());
    }
    return Future.all(workers).transform(ar -> {
      JsonArray upstream = new JsonArray();
      for (JsonObject c : b.calls) {
        if (c != null) {
          // copies: a call still running after the operation failed must not change its audit record
          upstream.add(c.containsKey("ms") ? c.copy() : c.copy().put("error", "ABANDONED"));
        }
      }
      if (ar.failed()) {
        Problem p = ar.cause() instanceof Problem known ? known : unreachable(resource, "the call failed");
        return Future.failedFuture(p.auditDetail("source", "PROXY").auditDetail("upstream", upstream));
      }
      List<StoredRecord> found = new ArrayList<>();
      for (StoredRecord r : b.found) {
        if (r != null) {
          found.add(r);
        }
      }
      return Future.succeededFuture(new Fetched(found, upstream));
    });
  }

  private final class Batch {
    final RecordSchema resource;
    final List<String> keys;
    final long deadline;
    final Context context;
    final StoredRecord[] found;
    final JsonObject[] calls;
    int next;
    boolean failed;

    Batch(RecordSchema resource, List<String> keys, long deadline, Context context) {
      this.resource = resource;
      this.keys = keys;
      this.deadline = deadline;
      this.context = context;
      this.found = new StoredRecord[keys.size()];
      this.calls = new JsonObject[keys.size()];
    }

    /** Takes the next key until none is left or a call failed; all on the caller's context. */
    Future<Void> work() {
      if (failed || next >= keys.size()) {
        return Future.succeededFuture();
      }
      int i = next++;
      return call(this, i).compose(r -> {
        found[i] = r;
        return work();
      }, e -> {
        failed = true;
        return Future.failedFuture(e);
      });
    }
  }

  private Future<StoredRecord> call(Batch b, int i) {
    RecordSchema s = b.resource;
    String key = b.keys.get(i);
    long started = System.nanoTime();
    JsonObject trace = new JsonObject().put("key", key);
    b.calls[i] = trace;
    URI target;
    try {
      target = ProviderEndpoint.target(s.providerInterface(), key, config.allowedHosts());
    } catch (ProviderEndpoint.NotAllowed e) {
      trace.put("error", "NOT_ALLOWED").put("ms", 0.0);
      return Future.failedFuture(new Problem(502, "PROVIDER_NOT_ALLOWED", "Bad gateway", "resource " + s.code()
          + " is served by its provider's interface, which this platform may not call: " + e.getMessage(), List.of(), null));
    }
    long remainingMs = TimeUnit.NANOSECONDS.toMillis(b.deadline - started);
    if (remainingMs <= 0) {
      trace.put("error", "TIMEOUT").put("ms", 0.0);
      return Future.failedFuture(timeout(s));
    }
    ProviderGate gate = gates.computeIfAbsent(s.provider(), p -> new ProviderGate(config.maxConcurrent(), config.maxWaiting()));
    CircuitBreaker breaker = breakers.computeIfAbsent(s.provider(), this::breaker);
    return gate.acquire(b.context, remainingMs, () -> busy(s), () -> timeout(s))
        .compose(permit -> breaker.<Answer>execute(() -> send(s, target, key, b.deadline, gate))
            .onFailure(e -> {
              if (e instanceof OpenCircuitException) {
                gate.release(); // the breaker refused without calling: the permit was never used
              }
            }))
        .transform(ar -> {
          trace.put("ms", (System.nanoTime() - started) / 1_000_000.0);
          if (ar.failed()) {
            return Future.failedFuture(failure(s, ar.cause(), trace));
          }
          Answer a = ar.result();
          trace.put("status", a.status());
          if (a.body() == null) {
            trace.put("error", "TOO_LARGE");
            return Future.failedFuture(badReply(s, "its reply was larger than " + config.maxResponseBytes() + " bytes"));
          }
          if (a.status() == 404) {
            return Future.succeededFuture(null);
          }
          if (a.status() != 200) {
            trace.put("error", "BAD_STATUS");
            return Future.failedFuture(badReply(s, "it answered " + a.status()
                + (a.status() / 100 == 3 ? " (redirects are not followed)" : "") + "; the protocol is 200 or 404"));
          }
          try {
            return Future.succeededFuture(record(s, key, a.body(), trace));
          } catch (Problem p) {
            trace.put("error", "BAD_REPLY");
            return Future.failedFuture(p);
          }
        });
  }

  /** One HTTP exchange; 5xx, refused connections and timeouts fail (the breaker counts them), a too-large reply does not. */
  private Future<Answer> send(RecordSchema s, URI target, String key, long deadline, ProviderGate gate) {
    long remainingMs = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
    BoundedBody body = new BoundedBody(config.maxResponseBytes());
    boolean post = "POST".equals(s.providerInterface().method());
    HttpRequest<Void> request = client.requestAbs(post ? HttpMethod.POST : HttpMethod.GET, target.toString())
        .followRedirects(false)
        .timeout(remainingMs)
        .putHeader("Accept", "application/json")
        .putHeader("X-Govshare-Resource", s.code())
        .as(BodyCodec.pipe(body));
    Future<HttpResponse<Void>> raw = post ? request.sendJsonObject(new JsonObject().put("key", key)) : request.send();
    // the permit is held until the exchange really ends, not only until this caller stops waiting
    raw.onComplete(ar -> gate.release());
    return raw.<Answer>transform(ar -> {
      if (ar.failed()) {
        return ar.cause() instanceof TooLarge ? Future.succeededFuture(new Answer(0, null)) : Future.failedFuture(ar.cause());
      }
      int status = ar.result().statusCode();
      if (status >= 500) {
        return Future.failedFuture(new UpstreamError(status));
      }
      return Future.succeededFuture(new Answer(status, body.buffer));
    }).timeout(remainingMs, TimeUnit.MILLISECONDS);
  }

  /** The reply as a record of the entry's items, key included; anything else is a 502. */
  private StoredRecord record(RecordSchema s, String key, Buffer body, JsonObject trace) {
    Object parsed;
    try {
      parsed = Json.decodeValue(body);
    } catch (DecodeException e) {
      throw badReply(s, "its reply is not JSON");
    }
    if (!(parsed instanceof JsonObject reply)) {
      throw badReply(s, "its reply is not a JSON object of item values");
    }
    JsonObject known = new JsonObject();
    JsonArray dropped = new JsonArray();
    for (Map.Entry<String, Object> e : reply) {
      if (s.items().containsKey(e.getKey())) {
        known.put(e.getKey(), e.getValue());
      } else {
        dropped.add(e.getKey());
      }
    }
    if (!dropped.isEmpty()) {
      trace.put("dropped", dropped);
    }
    if (known.getValue(s.keyItem()) == null) {
      known.put(s.keyItem(), key);
    }
    List<LineError> errors = new ArrayList<>();
    RecordSchema.Checked checked = s.check(0, known, zone, errors);
    if (checked == null) {
      // the reasons may quote values: they go to the audit log, the caller learns only the items
      JsonArray reasons = new JsonArray();
      errors.forEach(err -> reasons.add(err.field() + ": " + err.message()));
      trace.put("reasons", reasons);
      throw badReply(s, "its reply breaks the catalogue entry in " + errors.stream().map(LineError::field).distinct().toList());
    }
    if (!checked.key().equals(key)) {
      throw badReply(s, "it answered for another key");
    }
    return new StoredRecord(key, 0, checked.data(), OffsetDateTime.now(zone));
  }

  private Problem failure(RecordSchema s, Throwable e, JsonObject trace) {
    if (e instanceof Problem p) {
      trace.put("error", p.status() == 503 ? "BUSY" : "TIMEOUT");
      return p;
    }
    if (e instanceof OpenCircuitException) {
      trace.put("error", "CIRCUIT_OPEN");
      long seconds = Math.max(1, TimeUnit.MILLISECONDS.toSeconds(config.breakerResetMs() + 999));
      return new Problem(502, "PROVIDER_CIRCUIT_OPEN", "Bad gateway", "the interface of resource " + s.code()
          + " failed repeatedly; calls are suspended for a while", List.of(), null).retryAfter((int) Math.min(Integer.MAX_VALUE, seconds));
    }
    if (e instanceof TimeoutException || e instanceof ConnectTimeoutException) {
      trace.put("error", "TIMEOUT");
      return timeout(s);
    }
    if (e instanceof UpstreamError u) {
      trace.put("status", u.status).put("error", "BAD_STATUS");
      return new Problem(502, "PROVIDER_FAILED", "Bad gateway", "the interface of resource " + s.code() + " answered " + u.status,
          List.of(), null);
    }
    trace.put("error", "UNREACHABLE").put("cause", String.valueOf(e.getMessage()));
    return unreachable(s, "it could not be reached");
  }

  private CircuitBreaker breaker(String provider) {
    return CircuitBreaker.create("provider-" + provider, vertx, new CircuitBreakerOptions()
        .setMaxFailures(config.breakerFailures())
        .setResetTimeout(config.breakerResetMs())
        .setTimeout(-1) // the call sets its own deadline, which counts as a failure
        .setNotificationAddress(null));
  }

  private Problem timeout(RecordSchema s) {
    return new Problem(504, "PROVIDER_TIMEOUT", "Gateway timeout", "the interface of resource " + s.code() + " did not answer within "
        + config.responseTimeoutMs() + " ms", List.of(), null);
  }

  private Problem busy(RecordSchema s) {
    return new Problem(503, "PROVIDER_BUSY", "Temporarily unavailable", "too many calls to the interface of resource " + s.code()
        + " are running or waiting; try again shortly", List.of(), null).retryAfter(1);
  }

  private static Problem unreachable(RecordSchema s, String why) {
    return new Problem(502, "PROVIDER_UNREACHABLE", "Bad gateway", "the interface of resource " + s.code() + " failed: " + why,
        List.of(), null);
  }

  private static Problem badReply(RecordSchema s, String why) {
    return new Problem(502, "PROVIDER_BAD_REPLY", "Bad gateway", "the interface of resource " + s.code() + " broke the protocol: " + why,
        List.of(), null);
  }

  /** Collects a reply up to a limit; one byte more fails the exchange as it arrives. */
  private static final class BoundedBody implements WriteStream<Buffer> {
    private final int limit;
    private final Buffer buffer = Buffer.buffer();

    BoundedBody(int limit) {
      this.limit = limit;
    }

    @Override
    public Future<Void> write(Buffer data) {
      if (buffer.length() + data.length() > limit) {
        return Future.failedFuture(new TooLarge());
      }
      buffer.appendBuffer(data);
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> end() {
      return Future.succeededFuture();
    }

    @Override
    public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
      return this;
    }

    @Override
    public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
      return this;
    }

    @Override
    public boolean writeQueueFull() {
      return false;
    }

    @Override
    public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
      return this;
    }
  }
}
