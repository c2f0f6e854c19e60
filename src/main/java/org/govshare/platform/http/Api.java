package org.govshare.platform.http;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.OpenAPIRoute;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.RequestBody;
import java.util.Locale;
import java.util.Set;
import org.govshare.kernel.AuditAction;
import org.govshare.platform.Problem;

/**
 * Binds handlers to the contract's operations. Each operation's request runs: record which audited
 * action it is → read the body within the operation's {@link BodyLimit} → check the media type →
 * validate against the contract → handler → reply. Any failure goes to the one failure handler
 * ({@link ProblemHandler}).
 */
public final class Api {
  public static final String ACTION = "govshare.action";

  private final Vertx vertx;
  private final Contract contract;
  private final RouterBuilder builder;
  private final BodyReader bodies;

  Api(Vertx vertx, Contract contract, RouterBuilder builder, BodyReader bodies) {
    this.vertx = vertx;
    this.contract = contract;
    this.builder = builder;
    this.bodies = bodies;
  }

  /** A JSON operation validated against the contract, with the ordinary body limit. */
  public void on(String operationId, AuditAction action, ApiHandler handler) {
    on(operationId, action, BodyLimit.STANDARD, handler);
  }

  public void on(String operationId, AuditAction action, BodyLimit body, ApiHandler handler) {
    bind(operationId, action, true, body, Set.of(), handler);
  }

  /** As {@link #on}, and any refusal, even of a request that fails validation, is audited against that path parameter's resource. */
  public void on(String operationId, AuditAction action, String resourceParam, ApiHandler handler) {
    route(operationId).addHandler(ctx -> {
      ctx.put("govshare.auditResource", ctx.pathParam(resourceParam));
      ctx.next();
    });
    bind(operationId, action, true, BodyLimit.STANDARD, Set.of(), handler);
  }

  /**
   * An operation whose body the validator cannot read (form-encoded, NDJSON): the media types
   * are still enforced, the handler parses and checks the body itself.
   */
  public void onUnvalidated(String operationId, AuditAction action, BodyLimit body, Set<String> mediaTypes, ApiHandler handler) {
    bind(operationId, action, false, body, mediaTypes, handler);
  }

  /**
   * An operation whose body is read as a stream by the handler (NDJSON uploads): nothing buffers it,
   * the request arrives paused, and only the media type is checked here; the handler bounds it.
   */
  public void onStream(String operationId, AuditAction action, Set<String> mediaTypes, ApiHandler handler) {
    bind(operationId, action, false, BodyLimit.STREAMED, mediaTypes, handler);
  }

  /** For replies that are not one buffer (event streams): the handler writes the response itself. */
  public void onRaw(String operationId, AuditAction action, Handler<RoutingContext> handler) {
    OpenAPIRoute route = route(operationId);
    route.setDoValidation(false).setDoSecurity(false);
    route.addHandler(ctx -> {
      ctx.put(ACTION, action);
      handler.handle(ctx);
    });
  }

  private OpenAPIRoute route(String operationId) {
    OpenAPIRoute route = builder.getRoute(operationId);
    if (route == null) {
      throw new IllegalStateException("the contract has no operation " + operationId);
    }
    return route;
  }

  private void bind(String operationId, AuditAction action, boolean validate, BodyLimit body, Set<String> rawMediaTypes,
      ApiHandler handler) {
    OpenAPIRoute route = route(operationId);
    Operation operation = route.getOperation();
    OperationValidator validator = validate ? OperationValidator.of(contract.openApi(), operation) : null;
    route.setDoValidation(false).setDoSecurity(false);
    route.addHandler(ctx -> {
      ctx.put(ACTION, action);
      ctx.next();
    });
    route.addHandler(bodies.handler(body));
    route.addHandler(ctx -> {
      Future<?> checked;
      try {
        ApiRequest.checkQuery(ctx);
        checkMediaType(ctx, operation, rawMediaTypes, body == BodyLimit.STREAMED);
        checked = validator != null ? validator.validate(vertx, ctx) : Future.succeededFuture();
      } catch (Problem p) {
        ctx.fail(p);
        return;
      }
      checked.compose(v -> {
            try {
              return handler.handle(new ApiRequest(ctx));
            } catch (RuntimeException e) {
              return Future.failedFuture(e);
            }
          })
          .onSuccess(reply -> write(ctx, reply))
          .onFailure(ctx::fail);
    });
  }

  private static void checkMediaType(RoutingContext ctx, Operation operation, Set<String> rawMediaTypes, boolean streamed) {
    RequestBody body = operation.getRequestBody();
    // a streamed body is not read yet: its media type is judged by the header alone
    boolean hasBody = streamed || (ctx.body() != null && ctx.body().length() > 0);
    if (!hasBody || (body == null && rawMediaTypes.isEmpty())) {
      return;
    }
    String contentType = ctx.request().getHeader("Content-Type");
    String bare = contentType == null ? "" : contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
    boolean accepted = rawMediaTypes.contains(bare) || (body != null && body.getContent().containsKey(bare));
    if (!accepted) {
      Set<String> allowed = new java.util.TreeSet<>(rawMediaTypes);
      if (body != null) {
        allowed.addAll(body.getContent().keySet());
      }
      throw new Problem(415, "UNSUPPORTED_MEDIA_TYPE", "Unsupported media type",
          "Content-Type " + (contentType == null ? "(none)" : "'" + contentType + "'") + " is not accepted here; send one of "
              + allowed, java.util.List.of(), null);
    }
  }

  static void write(RoutingContext ctx, Reply reply) {
    if (ctx.response().ended()) {
      return;
    }
    ctx.response().setStatusCode(reply.status());
    reply.headers().forEach((k, v) -> ctx.response().putHeader(k, v));
    if (reply.body() == null) {
      ctx.response().end();
    } else {
      ctx.response().putHeader("Content-Type", reply.contentType()).end(reply.body());
    }
  }
}
