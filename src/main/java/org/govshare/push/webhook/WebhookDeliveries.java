package org.govshare.push.webhook;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.govshare.audit.AuditOf;
import org.govshare.kernel.AuditAction;
import org.govshare.kernel.AuditEntry;
import org.govshare.kernel.Caller;
import org.govshare.kernel.Outcome;
import org.govshare.kernel.Principal;
import org.govshare.kernel.Role;
import org.govshare.platform.Periodic;
import org.govshare.platform.Problem;
import org.govshare.platform.config.GovshareConfig.WebhookConfig;
import org.govshare.push.ChangeEvent;
import org.govshare.push.ChangeFeed;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers webhook subscriptions, on every instance (ADR 0012). Each subscription has one owner at a
 * time: a lease row in the database that the sweep claims with {@code FOR UPDATE SKIP LOCKED} when it
 * has lapsed, and that the owner renews before each batch; a batch is acknowledged only while the
 * owner still holds it and only from the sequence it started at, so a new owner resumes from the last
 * acknowledged change. Per subscription one batch is in flight at a time, in sequence order.
 * Everything runs on one Vert.x context, so the map of owned subscriptions needs no locks.
 */
public final class WebhookDeliveries {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookDeliveries.class);
  private static final int CLAIM_LIMIT = 1000;
  private static final int ERROR_CHARS = 300;

  private final Vertx vertx;
  private final SubscriptionStore store;
  private final ChangeFeed feed;
  private final WebhookSecrets secrets;
  private final WebhookConfig config;
  private final String node;
  private final Backoff backoff;
  private final Map<String, Owned> owned = new HashMap<>();
  private final Set<Future<Next>> inFlight = new HashSet<>();
  private Context context;
  private HttpClientAgent http;
  private Periodic sweeper;
  private Runnable cancelFeed;
  private volatile boolean stopped;

  private static final class Owned {
    Subscription sub;
    boolean running;
    boolean again;

    Owned(Subscription sub) {
      this.sub = sub;
    }
  }

  private enum Next { MORE, DONE }

  public WebhookDeliveries(Vertx vertx, SubscriptionStore store, ChangeFeed feed, WebhookSecrets secrets, WebhookConfig config,
      String node) {
    this.vertx = vertx;
    this.store = store;
    this.feed = feed;
    this.secrets = secrets;
    this.config = config;
    this.node = node;
    this.backoff = new Backoff(config.retryInitialMs(), config.retryMaxMs());
  }

  public Future<Void> start() {
    context = vertx.getOrCreateContext();
    http = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout((int) config.connectTimeoutMs()).setKeepAlive(true)
        .setVerifyHost(true).setTrustAll(false).setMaxRedirects(0), new PoolOptions().setHttp1MaxSize(4));
    cancelFeed = feed.onCommit((resource, seq) -> context.runOnContext(v -> committed(resource, seq)));
    Promise<Void> started = Promise.promise();
    context.runOnContext(v -> {
      sweeper = Periodic.every(vertx, 10, config.sweepMs(), "webhook sweep", this::sweep);
      started.complete();
    });
    return started.future();
  }

  /** Look for new work now (a subscription made or resumed here) rather than at the next sweep. */
  public void wake() {
    if (context != null && !stopped) {
      context.runOnContext(v -> sweep());
    }
  }

  /**
   * Stops sweeping, lets the batches in flight finish and record their outcome (bounded by the
   * receiver timeouts), then gives up this node's leases so another instance takes over at once.
   */
  public Future<Void> stop() {
    if (context == null) {
      return Future.succeededFuture();
    }
    Promise<Void> idle = Promise.promise();
    context.runOnContext(v -> {
      stopped = true;
      if (sweeper != null) {
        sweeper.cancel();
      }
      if (cancelFeed != null) {
        cancelFeed.run();
      }
      Future.join(new ArrayList<>(inFlight)).onComplete(x -> idle.complete());
    });
    return idle.future()
        .compose(v -> store.release(node).recover(e -> {
          LOG.warn("could not release webhook leases ({}); other instances take over when they lapse", e.toString());
          return Future.succeededFuture();
        }))
        .compose(v -> http.close());
  }

  private void committed(String resource, long seq) {
    for (Map.Entry<String, Owned> e : owned.entrySet()) {
      Subscription s = e.getValue().sub;
      if (s.resource().equals(resource) && seq > s.lastDeliveredSeq() && due(s)) {
        kick(e.getKey());
      }
    }
  }

  private Future<?> sweep() {
    if (stopped) {
      return Future.succeededFuture();
    }
    return store.claim(node, config.leaseMs(), CLAIM_LIMIT).onSuccess(claimed -> {
      for (Subscription s : claimed) {
        Owned o = owned.get(s.id());
        if (o == null) {
          owned.put(s.id(), new Owned(s));
        } else if (!o.running) {
          o.sub = s;
        } else {
          o.sub = withLease(o.sub, s.leaseUntil()); // the batch in flight keeps its state, the lease is the new one
        }
      }
      // a lease that lapsed and was not renewed here went to another instance (renew() would refuse it anyway)
      java.time.Instant now = java.time.Instant.now();
      owned.entrySet().removeIf(e -> !e.getValue().running && (e.getValue().sub.status() != Subscription.Status.ACTIVE
          || e.getValue().sub.leaseUntil().toInstant().isBefore(now)));
      for (String id : List.copyOf(owned.keySet())) {
        if (due(owned.get(id).sub)) {
          kick(id);
        }
      }
    });
  }

  private static boolean due(Subscription s) {
    return s.status() == Subscription.Status.ACTIVE && !s.nextAttemptAt().toInstant().isAfter(java.time.Instant.now());
  }

  private void kick(String id) {
    Owned o = owned.get(id);
    if (o == null || stopped) {
      return;
    }
    if (o.running) {
      o.again = true;
      return;
    }
    o.running = true;
    o.again = false;
    Future<Next> step;
    try {
      step = step(o);
    } catch (RuntimeException e) {
      step = Future.failedFuture(e);
    }
    Future<Next> running = step;
    inFlight.add(running);
    step.onComplete(ar -> {
      inFlight.remove(running);
      o.running = false;
      if (ar.failed()) {
        LOG.warn("webhook delivery of {} stopped: {}", id, ar.cause().toString());
      }
      if (owned.get(id) != o) {
        return;
      }
      if (o.sub.status() != Subscription.Status.ACTIVE) {
        owned.remove(id);
      } else if (o.again || (ar.succeeded() && ar.result() == Next.MORE)) {
        kick(id);
      }
    });
  }

  /** One batch: read what the subscriber may see after its cursor, then deliver it while this node still owns the lease. */
  private Future<Next> step(Owned o) {
    Subscription s = o.sub;
    if (!due(s)) {
      return Future.succeededFuture(Next.DONE);
    }
    long from = s.lastDeliveredSeq();
    return feed.after(subscriber(s), s.resource(), from, config.batchMax()).transform(ar -> {
      if (ar.succeeded()) {
        ChangeFeed.Page page = ar.result();
        if (page.events().isEmpty()) {
          if (page.lastSeq() <= from) {
            return Future.succeededFuture(Next.DONE);
          }
          // every change examined was one the subscriber may not see: move the cursor, deliver nothing
          return store.acknowledge(s.id(), node, from, page.lastSeq(), null)
              .map(moved -> settle(o, moved, page.lastSeq()));
        }
        // a page that ends with an end event is the last: the subscription ends once it is acknowledged
        return deliver(o, page.events(), page.lastSeq(), page.ended() ? endReason(page.events().get(page.events().size() - 1)) : null);
      }
      if (ar.cause() instanceof Problem p && p.status() >= 400 && p.status() < 500) {
        // the feed refuses this subscriber for good: access ended (grant revoked or ended, resource retired, 403),
        // the resource is gone or no longer hosted (404, 409), or what was missed is past the retention (410): say so, then end
        String reason = p.status() == 410 ? "changes after seq " + from + " are older than the retention and were not delivered"
            : p.detail();
        String code = p.status() == 410 ? "CURSOR_EXPIRED" : p.status() == 404 ? "RESOURCE_UNKNOWN" : "ACCESS_ENDED";
        ChangeEvent end = ChangeEvent.end(from, s.resource(), OffsetDateTime.now(ZoneOffset.UTC), code, reason);
        return deliver(o, List.of(end), from, reason);
      }
      return Future.failedFuture(ar.cause()); // the platform's own trouble (database): the next sweep tries again
    });
  }

  private static String endReason(ChangeEvent end) {
    JsonObject why = end.detail() == null ? new JsonObject() : end.detail();
    return why.getString("reason", why.getString("code", "access ended"));
  }

  private Next settle(Owned o, boolean moved, long to) {
    if (!moved) {
      owned.remove(o.sub.id()); // someone else owns it now, or it changed under us: the next claim says
      return Next.DONE;
    }
    o.sub = withSeq(o.sub, to);
    return Next.MORE;
  }

  private Future<Next> deliver(Owned o, List<ChangeEvent> events, long toSeq, String endReason) {
    Subscription before = o.sub;
    return store.renew(before.id(), node, config.leaseMs()).compose(renewed -> {
      if (renewed.isEmpty() || renewed.get().lastDeliveredSeq() != before.lastDeliveredSeq()) {
        owned.remove(before.id()); // lost the lease, deleted, paused or moved on elsewhere: never send
        return Future.succeededFuture(Next.DONE);
      }
      Subscription s = renewed.get();
      o.sub = s;
      JsonArray payload = new JsonArray();
      events.forEach(e -> payload.add(e.toJson()));
      Buffer body = new JsonObject().put("subscription", s.id()).put("events", payload).toBuffer();
      long firstSeq = events.get(0).seq();
      long lastSeq = events.get(events.size() - 1).seq();
      long started = System.nanoTime();
      return post(s, body).transform(ar -> {
        double latencyMs = (System.nanoTime() - started) / 1_000_000.0;
        Attempt attempt = ar.succeeded() ? ar.result() : new Attempt(0, describe(ar.cause()));
        JsonObject detail = new JsonObject().put("firstSeq", firstSeq).put("lastSeq", lastSeq).put("count", events.size())
            .put("status", attempt.status()).put("latencyMs", latencyMs).put("cursor", toSeq).put("node", node);
        if (endReason != null) {
          detail.put("end", endReason);
        }
        Caller caller = deliveryCaller(s);
        if (attempt.ok()) {
          AuditOf<Subscription> audit = AuditOf.one(saved -> AuditEntry.of(caller, AuditAction.PUSH_DELIVER, s.resource(), s.id(),
              Outcome.OK, detail));
          if (endReason != null) {
            return store.end(s.id(), node, s.lastDeliveredSeq(), toSeq, endReason, audit).map(done -> {
              o.sub = ended(s, endReason);
              return Next.DONE;
            });
          }
          return store.acknowledge(s.id(), node, s.lastDeliveredSeq(), toSeq, audit).map(moved -> settle(o, moved, toSeq));
        }
        return failed(o, s, attempt, detail, caller);
      });
    });
  }

  private Future<Next> failed(Owned o, Subscription s, Attempt attempt, JsonObject detail, Caller caller) {
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    int failures = s.failures() + 1;
    OffsetDateTime firstFailure = s.firstFailureAt() == null ? now : s.firstFailureAt();
    boolean pause = Backoff.givesUp(Duration.between(firstFailure, now), config.giveUpAfter());
    OffsetDateTime next = now.plusNanos(backoff.delayMs(failures) * 1_000_000L);
    String error = attempt.error();
    detail.put("error", error).put("failures", failures).put("paused", pause);
    SubscriptionStore.Failure f = new SubscriptionStore.Failure(failures, firstFailure, error, next, pause);
    return store.failed(s.id(), node, s.lastDeliveredSeq(), f, AuditOf.one(saved -> AuditEntry.of(caller, AuditAction.PUSH_DELIVER,
        s.resource(), s.id(), Outcome.FAILED, detail))).map(stored -> {
          if (pause) {
            LOG.info("webhook subscription {} paused after failing for {}", s.id(), config.giveUpAfter());
          }
          o.sub = new Subscription(s.id(), s.department(), s.clientId(), s.resource(), s.callbackUrl(), s.salt(),
              pause ? Subscription.Status.PAUSED : s.status(), s.lastDeliveredSeq(), failures, firstFailure, error, next,
              s.lastDeliveredAt(), s.createdAt(), s.endedAt(), s.endReason(), s.owner(), s.leaseUntil());
          return Next.DONE;
        });
  }

  private record Attempt(int status, String error) {
    boolean ok() {
      return status >= 200 && status < 300;
    }
  }

  /** POST with the signature; the reply's status decides; at most {@code maxResponseBytes} of its body are read. */
  private Future<Attempt> post(Subscription s, Buffer body) {
    long timestamp = System.currentTimeMillis() / 1000;
    String signature = Signature.sign(secrets.of(s), timestamp, body.getBytes());
    Promise<Attempt> result = Promise.promise();
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(s.callbackUrl()).setFollowRedirects(false)
        .setConnectTimeout(config.connectTimeoutMs()).setIdleTimeout(config.responseTimeoutMs())
        .putHeader("Content-Type", "application/json").putHeader("X-Govshare-Signature", signature)
        .putHeader("X-Govshare-Timestamp", String.valueOf(timestamp)).putHeader("X-Govshare-Subscription", s.id())
        .putHeader("User-Agent", "govshare-webhook/1");
    http.request(options).onFailure(result::tryFail).onSuccess(request -> {
      long deadline = vertx.setTimer(config.connectTimeoutMs() + config.responseTimeoutMs(), t -> {
        if (result.tryFail("no complete answer within " + (config.connectTimeoutMs() + config.responseTimeoutMs()) + " ms")) {
          request.reset();
        }
      });
      result.future().onComplete(x -> vertx.cancelTimer(deadline));
      request.exceptionHandler(result::tryFail);
      request.send(body).onFailure(result::tryFail).onSuccess(response -> {
        Buffer read = Buffer.buffer();
        int status = response.statusCode();
        response.exceptionHandler(e -> result.tryComplete(attempt(status, read)));
        response.handler(chunk -> {
          int room = config.maxResponseBytes() - read.length();
          if (room > 0) {
            read.appendBuffer(chunk.length() <= room ? chunk : chunk.slice(0, room));
          }
          if (chunk.length() >= room && result.tryComplete(attempt(status, read))) {
            request.reset(); // the rest is not read: a receiver cannot make the platform hold a large reply
          }
        });
        response.endHandler(v -> result.tryComplete(attempt(status, read)));
      });
    });
    return result.future();
  }

  private static Attempt attempt(int status, Buffer read) {
    if (status >= 200 && status < 300) {
      return new Attempt(status, null);
    }
    String text = read.toString(java.nio.charset.StandardCharsets.UTF_8).replaceAll("[\\p{Cntrl}]", " ").trim();
    String why = status >= 300 && status < 400 ? "answered " + status + " (redirects are not followed)" : "answered " + status;
    return new Attempt(status, clip(text.isEmpty() ? why : why + ": " + text));
  }

  private static String describe(Throwable e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return clip("not delivered: " + m);
  }

  private static String clip(String s) {
    return s.length() <= ERROR_CHARS ? s : s.substring(0, ERROR_CHARS) + "…";
  }

  /** What the subscriber sees: its department's reading, as a CONSUMER, at delivery time. */
  static Caller subscriber(Subscription s) {
    return Caller.of(new Principal(s.clientId(), s.department(), Set.of(Role.CONSUMER), 0, Long.MAX_VALUE), "webhook-" + s.id());
  }

  private static Caller deliveryCaller(Subscription s) {
    return Caller.of(new Principal(s.clientId(), s.department(), Set.of(Role.CONSUMER), 0, Long.MAX_VALUE),
        "push-" + UUID.randomUUID());
  }

  private static Subscription withLease(Subscription s, OffsetDateTime leaseUntil) {
    return new Subscription(s.id(), s.department(), s.clientId(), s.resource(), s.callbackUrl(), s.salt(), s.status(),
        s.lastDeliveredSeq(), s.failures(), s.firstFailureAt(), s.lastError(), s.nextAttemptAt(), s.lastDeliveredAt(), s.createdAt(),
        s.endedAt(), s.endReason(), s.owner(), leaseUntil);
  }

  private static Subscription withSeq(Subscription s, long seq) {
    return new Subscription(s.id(), s.department(), s.clientId(), s.resource(), s.callbackUrl(), s.salt(), s.status(), seq, 0, null, null,
        s.nextAttemptAt(), s.lastDeliveredAt(), s.createdAt(), s.endedAt(), s.endReason(), s.owner(), s.leaseUntil());
  }

  private static Subscription ended(Subscription s, String reason) {
    return new Subscription(s.id(), s.department(), s.clientId(), s.resource(), s.callbackUrl(), s.salt(), Subscription.Status.ENDED,
        s.lastDeliveredSeq(), 0, null, null, s.nextAttemptAt(), s.lastDeliveredAt(), s.createdAt(), OffsetDateTime.now(), reason, null,
        s.leaseUntil());
  }

}
