package org.govshare.platform.http;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;
import java.util.regex.Pattern;
import org.govshare.kernel.Principal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * First handler of every request: gives it the server's own request id (what the audit log records
 * as {@code requestId}), keeps a well-formed client X-Request-Id beside it and echoes that one, and
 * writes a JSON access-log line at the end.
 */
public final class RequestLog implements io.vertx.ext.web.handler.PlatformHandler {
  private static final Logger ACCESS = LoggerFactory.getLogger("govshare.access");
  private static final Pattern ACCEPTABLE_ID = Pattern.compile("[A-Za-z0-9._:/+=-]{1,128}");

  @Override
  public void handle(RoutingContext ctx) {
    String given = ctx.request().getHeader("X-Request-Id");
    String clientId = given != null && ACCEPTABLE_ID.matcher(given).matches() ? given : null;
    String id = UUID.randomUUID().toString();
    ctx.put(ApiRequest.REQUEST_ID, id);
    if (clientId != null) {
      ctx.put(ApiRequest.CLIENT_REQUEST_ID, clientId);
    }
    ctx.response().putHeader("X-Request-Id", clientId != null ? clientId : id);
    long started = System.nanoTime();
    if (ACCESS.isInfoEnabled()) {
      ctx.addEndHandler(v -> {
        Principal p = ctx.get(ApiRequest.PRINCIPAL);
        JsonObject line = new JsonObject()
            .put("requestId", id)
            .put("clientRequestId", clientId)
            .put("method", ctx.request().method().name())
            .put("path", ctx.request().path())
            .put("status", ctx.response().getStatusCode())
            .put("ms", (System.nanoTime() - started) / 1_000_000.0)
            .put("bytes", ctx.response().bytesWritten())
            .put("client", p == null ? null : p.clientId())
            .put("remote", ctx.request().remoteAddress() == null ? null : ctx.request().remoteAddress().host());
        ACCESS.info(line.encode());
      });
    }
    ctx.next();
  }
}
