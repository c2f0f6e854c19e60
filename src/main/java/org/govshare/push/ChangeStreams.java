package org.govshare.push;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.govshare.audit.AuditWriter;
import org.govshare.kernel.AuditAction;
import org.govshare.kernel.AuditEntry;
import org.govshare.kernel.Caller;
import org.govshare.kernel.Outcome;
import org.govshare.platform.Problem;
import org.govshare.platform.config.GovshareConfig.PushConfig;

/**
 * The event streams open on this instance: who may open one (access, the cursor, the department's
 * stream limit), the audit of each opening and closing, and the fan-out of commit signals.
 */
public final class ChangeStreams {
  private final Vertx vertx;
  private final ChangeFeed feed;
  private final AuditWriter audit;
  private final PushConfig config;
  private final Map<String, Set<EventStream>> byResource = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> perDepartment = new ConcurrentHashMap<>();
  private final Runnable unregister;

  public ChangeStreams(Vertx vertx, ChangeFeed feed, AuditWriter audit, PushConfig config) {
    this.vertx = vertx;
    this.feed = feed;
    this.audit = audit;
    this.config = config;
    this.unregister = feed.onCommit(this::committed);
  }

  private void committed(String resource, long seq) {
    Set<EventStream> streams = byResource.get(resource);
    if (streams != null) {
      streams.forEach(s -> s.signal(seq));
    }
  }

  /** Open streams on this instance (for tests and metrics). */
  public int open() {
    return byResource.values().stream().mapToInt(Set::size).sum();
  }

  /**
   * Checks, audits and starts a stream on {@code response}; the future completes when the stream has
   * closed (the response is then ended). Refusals fail it before anything was written: 400, 403, 404,
   * 410, 429.
   */
  public Future<EventStream.Close> open(Caller reader, String resource, Long cursor, HttpServerResponse response) {
    String department = reader.department();
    AtomicInteger count = perDepartment.computeIfAbsent(department, d -> new AtomicInteger());
    if (count.incrementAndGet() > config.maxStreamsPerDepartment()) {
      count.decrementAndGet();
      return Future.failedFuture(Problem.rateLimited("department " + department + " has " + config.maxStreamsPerDepartment()
          + " event streams open on this instance, the most allowed; close one or try again later", 5));
    }
    Context context = Vertx.currentContext();
    Future<Long> start = cursor != null ? Future.succeededFuture(cursor) : feed.head(resource);
    return start.compose(from -> feed.after(reader, resource, from, config.pageSize()).compose(first ->
            audit.append(AuditEntry.of(reader, AuditAction.STREAM_OPEN, resource, null, Outcome.OK, new JsonObject()
                .put("after", from).put("resumed", cursor != null))).map(seq -> {
                  EventStream stream = new EventStream(vertx, context, feed, config, reader, resource, from, response);
                  byResource.computeIfAbsent(resource, r -> ConcurrentHashMap.newKeySet()).add(stream);
                  stream.closed().onComplete(ar -> closed(reader, stream, ar.result()));
                  stream.start(first);
                  return stream;
                })))
        .onFailure(e -> count.decrementAndGet())
        .compose(EventStream::closed);
  }

  private void closed(Caller reader, EventStream stream, EventStream.Close close) {
    Set<EventStream> streams = byResource.get(stream.resource());
    if (streams != null) {
      streams.remove(stream);
    }
    perDepartment.get(reader.department()).decrementAndGet();
    audit.append(AuditEntry.of(reader, AuditAction.STREAM_CLOSE, stream.resource(), null, Outcome.OK, new JsonObject()
        .put("eventsSent", close.sent()).put("lastSeq", close.lastSeq()).put("code", close.code()).put("reason", close.reason())));
  }

  /** Ends every stream with an {@code end} event: the instance stops. */
  public void stop() {
    unregister.run();
    byResource.values().forEach(set -> set.forEach(s -> s.shutdown("SHUTDOWN", "the server instance stops; resume with Last-Event-ID")));
  }
}
