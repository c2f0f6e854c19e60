package org.govshare.push;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import org.govshare.kernel.Caller;
import org.govshare.platform.Problem;
import org.govshare.platform.config.GovshareConfig.PushConfig;
import org.govshare.push.ChangeFeed.Page;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One open Server-Sent Events stream. Everything runs on the context of its connection: a commit
 * signal only asks for the next read; one read at a time, never while the connection's write queue
 * is full, so what one stream holds is bounded by that queue plus one page.
 */
final class EventStream {
  private static final Logger LOG = LoggerFactory.getLogger(EventStream.class);
  private static final Buffer KEEP_ALIVE = Buffer.buffer(": keep-alive\n\n");
  // identity-keyed: a page read once for many streams is encoded once
  private static final Cache<Page, Buffer> ENCODED = Caffeine.newBuilder().weakKeys().maximumSize(256).build();

  private final Vertx vertx;
  private final Context context;
  private final ChangeFeed feed;
  private final PushConfig config;
  private final Caller reader;
  private final String resource;
  private final HttpServerResponse response;
  private final Promise<Close> closed = Promise.promise();
  private long cursor;
  private long heard;
  private long sent;
  private boolean reading;
  private boolean readAgain;
  private boolean wroteSinceBeat;
  // the last grant or catalogue event delivered: the likely reason when access is found gone
  private ChangeEvent lastAccessChange;
  private long heartbeat = -1;
  private long slowTimer = -1;

  /** How a stream ended: the events sent, the cursor reached, a code and a reason. */
  record Close(long sent, long lastSeq, String code, String reason) {}

  EventStream(Vertx vertx, Context context, ChangeFeed feed, PushConfig config, Caller reader, String resource, long cursor,
      HttpServerResponse response) {
    this.vertx = vertx;
    this.context = context;
    this.feed = feed;
    this.config = config;
    this.reader = reader;
    this.resource = resource;
    this.cursor = cursor;
    this.heard = cursor;
    this.response = response;
  }

  String resource() {
    return resource;
  }

  io.vertx.core.Future<Close> closed() {
    return closed.future();
  }

  /** Sends the headers and the first page (read before, so refusals could still be a problem reply), then goes live. */
  void start(Page first) {
    response.setStatusCode(200).setChunked(true)
        .putHeader("Content-Type", "text/event-stream; charset=utf-8")
        .putHeader("Cache-Control", "no-store")
        // a compressing proxy or our own gzip would hold events back
        .putHeader("Content-Encoding", "identity")
        .putHeader("X-Accel-Buffering", "no");
    response.setWriteQueueMaxSize(config.maxQueuedBytes());
    response.closeHandler(v -> finish("CLIENT_CLOSED", "the client closed the connection", false));
    response.exceptionHandler(e -> finish("CONNECTION_FAILED", String.valueOf(e.getMessage()), false));
    write(Buffer.buffer("retry: 2000\n: stream of " + resource + " after " + cursor + "\n\n"));
    heartbeat = vertx.setPeriodic(config.heartbeatMs(), id -> beat());
    deliver(first);
  }

  /** From any thread: a change up to {@code seq} committed. */
  void signal(long seq) {
    context.runOnContext(v -> {
      heard = Math.max(heard, seq);
      if (seq > cursor) {
        read();
      }
    });
  }

  /** From any thread: end the stream with an {@code end} event (the server stops). */
  void shutdown(String code, String reason) {
    context.runOnContext(v -> finish(code, reason, true));
  }

  private void beat() {
    if (closed.future().isComplete()) {
      return;
    }
    if (!wroteSinceBeat && !response.writeQueueFull()) {
      write(KEEP_ALIVE);
      read(); // also catches a commit whose signal was lost
    }
    wroteSinceBeat = false;
  }

  private void read() {
    if (closed.future().isComplete()) {
      return;
    }
    if (reading) {
      readAgain = true;
      return;
    }
    if (response.writeQueueFull()) {
      return; // the drain handler reads on
    }
    reading = true;
    readAgain = false;
    long from = cursor;
    feed.after(reader, resource, from, config.pageSize()).onComplete(ar -> context.runOnContext(v -> received(from, ar)));
  }

  private void received(long from, AsyncResult<Page> ar) {
    reading = false;
    if (closed.future().isComplete()) {
      return;
    }
    if (ar.failed()) {
      if (ar.cause() instanceof Problem p && p.status() >= 400 && p.status() < 500) {
        String code = p.status() == 410 ? "CURSOR_EXPIRED" : p.status() == 404 ? "RESOURCE_GONE" : "ACCESS_ENDED";
        String reason = p.detail();
        if (p.status() == 403 && lastAccessChange != null) {
          code = endCode(lastAccessChange);
          reason = "after change " + lastAccessChange.seq() + " (" + lastAccessChange.event() + " " + lastAccessChange.detail().encode() + "): "
              + reason;
        }
        writeEnd(ChangeEvent.end(cursor, resource, java.time.OffsetDateTime.now(), code, reason));
        finish(code, reason, false);
        return;
      }
      // the database did not answer: the next heartbeat (or signal) tries again
      LOG.warn("push: reading changes of {} failed: {}", resource, ar.cause().toString());
      return;
    }
    deliver(ar.result());
    if (!closed.future().isComplete() && (readAgain || (cursor > from && cursor < heard))) {
      read();
    }
  }

  private void deliver(Page page) {
    Buffer text = ENCODED.get(page, EventStream::encode);
    write(text);
    for (ChangeEvent e : page.events()) {
      if (ChangeEvent.END.equals(e.event())) {
        writeEnd(e);
        cursor = page.lastSeq();
        finish(e.detail().getString("code"), e.detail().getString("reason"), false);
        return;
      }
      sent++;
      if (ChangeEvent.GRANT.equals(e.event()) || ChangeEvent.CATALOG.equals(e.event())) {
        lastAccessChange = e;
        // the access caches of this instance may learn of the change a little after its signal (on an
        // instance outside the cluster, within the sharing poll): look again shortly
        vertx.setTimer(200, id -> read());
        vertx.setTimer(1_500, id -> read());
      }
    }
    cursor = Math.max(cursor, page.lastSeq());
    heard = Math.max(heard, cursor);
    if (response.writeQueueFull()) {
      slowDown();
    }
  }

  /** The SSE text of a page's events up to an {@code end}; pages are shared by the streams of one scope, so is this. */
  private static Buffer encode(Page page) {
    Buffer out = Buffer.buffer(page.events().size() * 256);
    for (ChangeEvent e : page.events()) {
      if (ChangeEvent.END.equals(e.event())) {
        break;
      }
      out.appendString("id: ").appendString(Long.toString(e.seq())).appendString("\nevent: ").appendString(e.event())
          .appendString("\ndata: ").appendString(e.toJson().encode()).appendString("\n\n");
    }
    return out;
  }

  /** The client reads slower than changes come: wait for the queue to drain, at most slowClientMs. */
  private void slowDown() {
    response.drainHandler(v -> {
      if (slowTimer >= 0) {
        vertx.cancelTimer(slowTimer);
        slowTimer = -1;
      }
      read();
    });
    if (slowTimer < 0) {
      slowTimer = vertx.setTimer(config.slowClientMs(), id -> {
        slowTimer = -1;
        if (response.writeQueueFull()) {
          String reason = "the client read too slowly: more than " + config.maxQueuedBytes() + " bytes stayed unsent for "
              + config.slowClientMs() + " ms; resume with Last-Event-ID " + cursor;
          finish("SLOW_CONSUMER", reason, true);
        }
      });
    }
  }

  private static String endCode(ChangeEvent change) {
    if (ChangeEvent.GRANT.equals(change.event()) && !"ACTIVE".equals(change.detail().getString("status"))) {
      return "GRANT_" + change.detail().getString("status");
    }
    if (ChangeEvent.CATALOG.equals(change.event()) && "RETIRED".equals(change.detail().getString("status"))) {
      return "RESOURCE_RETIRED";
    }
    return "ACCESS_ENDED";
  }

  private void writeEnd(ChangeEvent e) {
    // no id: the client's Last-Event-ID stays at the last change it received
    write(Buffer.buffer("event: end\ndata: " + e.toJson().encode() + "\n\n"));
  }

  private void write(Buffer b) {
    if (b.length() > 0 && !response.ended() && !response.closed()) {
      response.write(b);
      wroteSinceBeat = true;
    }
  }

  private void finish(String code, String reason, boolean announce) {
    if (closed.future().isComplete()) {
      return;
    }
    if (announce) {
      writeEnd(ChangeEvent.end(cursor, resource, java.time.OffsetDateTime.now(), code, reason));
    }
    if (heartbeat >= 0) {
      vertx.cancelTimer(heartbeat);
    }
    if (slowTimer >= 0) {
      vertx.cancelTimer(slowTimer);
    }
    closed.complete(new Close(sent, cursor, code, reason));
    if (!response.ended() && !response.closed()) {
      response.end();
      if ("SLOW_CONSUMER".equals(code)) {
        // its queue is full: the end event may never be read, and the connection must not hold the memory
        vertx.setTimer(1_000, id -> response.reset());
      }
    }
  }
}
