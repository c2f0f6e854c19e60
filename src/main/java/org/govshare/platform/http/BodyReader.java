package org.govshare.platform.http;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.impl.RoutingContextInternal;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.govshare.platform.Problem;
import org.govshare.platform.Text;
import org.govshare.platform.config.GovshareConfig.HttpConfig;

/**
 * Reads a request body within its operation's limit, after authentication: a declared
 * Content-Length over the limit is refused before a byte is read, a chunked body is cut off as
 * soon as it passes the limit, and all bodies held at once stay within a memory budget. JSON is
 * decoded strictly (UTF-8, text rules) and, when large, on a worker so no event loop parses it.
 */
final class BodyReader {
  static final String JSON = "govshare.json";
  private static final long LINGER_MS = 2000;
  private static final long LINGER_BYTES = 8L << 20;

  private final Vertx vertx;
  private final HttpConfig http;
  private final Memory memory;

  BodyReader(Vertx vertx, HttpConfig http) {
    this.vertx = vertx;
    this.http = http;
    LocalMap<String, Memory> shared = vertx.sharedData().getLocalMap("govshare.http.bodies");
    shared.putIfAbsent("memory", new Memory(http.bodyMemoryBytes()));
    this.memory = shared.get("memory");
  }

  /**
   * First step of every request: a body stays unread while the caller is authenticated, and a
   * reply sent before the body was read closes the connection (the rest is never read).
   */
  static void hold(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    if (hasBody(request) && !request.isEnded()) {
      request.pause();
      ctx.addHeadersEndHandler(v -> {
        if (!request.isEnded() && request.version() != HttpVersion.HTTP_2) {
          ctx.response().putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
        }
      });
      ctx.addEndHandler(v -> {
        if (!request.isEnded() && request.version() != HttpVersion.HTTP_2) {
          lingerThenClose(ctx.vertx(), request);
        }
      });
    }
    ctx.next();
  }

  /**
   * Closing a socket that still has unread input resets it, and the client can lose the reply it
   * was about to read: drop what keeps arriving for a short, bounded while, then close.
   */
  private static void lingerThenClose(Vertx vertx, HttpServerRequest request) {
    HttpConnection connection = request.connection();
    long[] dropped = {0};
    long timer = vertx.setTimer(LINGER_MS, t -> connection.close());
    Handler<Void> close = v -> {
      vertx.cancelTimer(timer);
      connection.close();
    };
    request.exceptionHandler(e -> close.handle(null));
    request.endHandler(close);
    request.handler(chunk -> {
      dropped[0] += chunk.length();
      if (dropped[0] > LINGER_BYTES) {
        close.handle(null);
      }
    });
    request.resume();
  }

  Handler<RoutingContext> handler(BodyLimit kind) {
    long limit = kind.bytes(http);
    return ctx -> {
      HttpServerRequest request = ctx.request();
      if (kind == BodyLimit.STREAMED || !hasBody(request)) {
        ctx.next();
        return;
      }
      if (request.isEnded()) {
        ctx.fail(new IllegalStateException("the request body was consumed before its operation read it"));
        return;
      }
      long declared = contentLength(request);
      if (declared > limit) {
        ctx.fail(tooLarge(limit));
        return;
      }
      Reservation held = new Reservation(memory);
      ctx.addEndHandler(v -> held.release());
      if (declared > 0 && !held.take(declared)) {
        ctx.fail(busy());
        return;
      }
      if ("100-continue".equalsIgnoreCase(request.getHeader(HttpHeaders.EXPECT)) && request.version() != HttpVersion.HTTP_1_0) {
        ctx.response().writeContinue();
      }
      Buffer body = Buffer.buffer((int) Math.min(Math.max(declared, 0), 64 * 1024));
      boolean[] failed = {false};
      request.exceptionHandler(e -> {
        if (!failed[0]) {
          failed[0] = true;
          ctx.fail(Problem.malformed("the request body could not be read"));
        }
      });
      request.handler(chunk -> {
        if (failed[0]) {
          return;
        }
        long size = (long) body.length() + chunk.length();
        if (size > limit || (declared <= 0 && !held.take(chunk.length()))) {
          failed[0] = true;
          request.pause();
          ctx.fail(size > limit ? tooLarge(limit) : busy());
          return;
        }
        body.appendBuffer(chunk);
      });
      request.endHandler(v -> {
        if (failed[0]) {
          return;
        }
        ((RoutingContextInternal) ctx).setBody(body);
        if (!isJson(request)) {
          ctx.next();
          return;
        }
        Future<Object> parsed;
        if (body.length() > http.workerParseBytes()) {
          parsed = vertx.executeBlocking(() -> parse(body), false);
        } else {
          try {
            parsed = Future.succeededFuture(parse(body));
          } catch (RuntimeException e) {
            parsed = Future.failedFuture(e);
          }
        }
        parsed.onSuccess(json -> {
          ctx.put(JSON, json);
          ctx.next();
        }).onFailure(ctx::fail);
      });
      request.resume();
    };
  }

  /** Strict UTF-8, then JSON, then the text rules on every string in it. */
  static Object parse(Buffer body) {
    String text = Text.utf8("body", body.getBytes());
    Object json;
    try {
      json = Json.decodeValue(text);
    } catch (DecodeException e) {
      throw Problem.malformed("the body is not valid JSON");
    }
    Text.checkJson("", json);
    return json;
  }

  private static boolean hasBody(HttpServerRequest request) {
    return contentLength(request) > 0 || request.headers().contains(HttpHeaders.TRANSFER_ENCODING)
        || request.version() == HttpVersion.HTTP_2;
  }

  private static long contentLength(HttpServerRequest request) {
    String raw = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    try {
      return raw == null ? -1 : Long.parseLong(raw.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static boolean isJson(HttpServerRequest request) {
    String type = request.getHeader(HttpHeaders.CONTENT_TYPE);
    if (type == null) {
      return false;
    }
    String bare = type.split(";")[0].trim().toLowerCase(Locale.ROOT);
    return bare.equals("application/json") || bare.endsWith("+json");
  }

  private static Problem tooLarge(long limit) {
    return Problem.payloadTooLarge(limit);
  }

  private static Problem busy() {
    return Problem.unavailable("the server holds as many request bodies as it may at once; retry shortly").retryAfter(1);
  }

  /** Bytes of request bodies held by this process; shared by all its HTTP verticles. */
  static final class Memory implements Shareable {
    private final long max;
    private final AtomicLong used = new AtomicLong();

    Memory(long max) {
      this.max = max;
    }

    boolean take(long bytes) {
      long now = used.addAndGet(bytes);
      if (now > max) {
        used.addAndGet(-bytes);
        return false;
      }
      return true;
    }

    void release(long bytes) {
      used.addAndGet(-bytes);
    }
  }

  /** What one request holds of the budget; released once when its reply ends. */
  private static final class Reservation {
    private final Memory memory;
    private long held;

    Reservation(Memory memory) {
      this.memory = memory;
    }

    boolean take(long bytes) {
      if (!memory.take(bytes)) {
        return false;
      }
      held += bytes;
      return true;
    }

    void release() {
      memory.release(held);
      held = 0;
    }
  }
}
