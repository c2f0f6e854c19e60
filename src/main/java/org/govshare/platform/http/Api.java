package org.govshare.platform.http;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.OpenAPIRoute;
import io.vertx.ext.web.openapi.router.RequestExtractor;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.RequestBody;
import io.vertx.openapi.validation.RequestValidator;
import java.util.Locale;
import java.util.Set;
import org.govshare.audit.AuditAction;
import org.govshare.platform.Problem;

/**
 * Binds handlers to the contract's operations. Each operation's request runs: record which audited
 * action it is → check the media type → validate against the contract → handler → reply. Any
 * failure goes to the one failure handler ({@link ProblemHandler}).
 */
public final class Api {
  public static final String ACTION = "govshare.action";

  private final RouterBuilder builder;
  private final java.util.List<Streamed> streamed = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final RequestValidator validator;
  private final RequestExtractor extractor = (ctx, operation) -> io.vertx.openapi.validation.RequestUtils.extract(
      new SingleDecodingRequest((io.vertx.core.internal.http.HttpServerRequestInternal) ctx.request()), operation,
      () -> Future.succeededFuture(ctx.body().buffer()));

  public Api(Vertx vertx, Contract contract, RouterBuilder builder) {
    this.builder = builder;
    this.validator = RequestValidator.create(vertx, contract.openApi());
  }

  /** A JSON operation validated against the contract. */
  public void on(String operationId, AuditAction action, ApiHandler handler) {
    bind(operationId, action, true, Set.of(), handler);
  }

  /** As {@link #on}, and any refusal, even of a request that fails validation, is audited against that path parameter's resource. */
  public void on(String operationId, AuditAction action, String resourceParam, ApiHandler handler) {
    route(operationId).addHandler(ctx -> {
      ctx.put("govshare.auditResource", ctx.pathParam(resourceParam));
      ctx.next();
    });
    bind(operationId, action, true, Set.of(), handler);
  }

  /**
   * An operation whose body the validator cannot read (form-encoded, NDJSON): the media types
   * are still enforced, the handler parses and checks the body itself.
   */
  public void onUnvalidated(String operationId, AuditAction action, Set<String> mediaTypes, ApiHandler handler) {
    bind(operationId, action, false, mediaTypes, handler);
  }

  /**
   * An operation whose body is read as a stream by the handler (NDJSON uploads): the body handler
   * leaves it alone, the request arrives paused, and only the Content-Type header is checked here.
   */
  public void onStream(String operationId, AuditAction action, Set<String> mediaTypes, ApiHandler handler) {
    OpenAPIRoute route = route(operationId);
    String template = route.getOperation().getOpenAPIPath();
    streamed.add(new Streamed(route.getOperation().getHttpMethod().name(),
        java.util.regex.Pattern.compile(java.util.Arrays.stream(template.split("\\{[^}]+}", -1))
            .map(java.util.regex.Pattern::quote).collect(java.util.stream.Collectors.joining("[^/]+")))));
    route.setDoValidation(false).setDoSecurity(false);
    route.addHandler(ctx -> {
      ctx.put(ACTION, action);
      String contentType = ctx.request().getHeader("Content-Type");
      String bare = contentType == null ? "" : contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
      if (!mediaTypes.contains(bare)) {
        ctx.fail(new Problem(415, "UNSUPPORTED_MEDIA_TYPE", "Unsupported media type", "Content-Type "
            + (contentType == null ? "(none)" : "'" + contentType + "'") + " is not accepted here; send one of " + mediaTypes,
            java.util.List.of(), null));
        return;
      }
      Future<Reply> reply;
      try {
        reply = handler.handle(new ApiRequest(ctx));
      } catch (RuntimeException e) {
        reply = Future.failedFuture(e);
      }
      reply.onSuccess(r -> write(ctx, r)).onFailure(ctx::fail);
    });
  }

  /** Whether this request's body is streamed by its handler rather than buffered first. */
  boolean streams(RoutingContext ctx) {
    if (streamed.isEmpty()) {
      return false;
    }
    String method = ctx.request().method().name();
    String path = ctx.request().path();
    for (Streamed s : streamed) {
      if (s.method().equals(method) && s.path().matcher(path).matches()) {
        return true;
      }
    }
    return false;
  }

  private record Streamed(String method, java.util.regex.Pattern path) {}

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

  private void bind(String operationId, AuditAction action, boolean validate, Set<String> rawMediaTypes, ApiHandler handler) {
    OpenAPIRoute route = route(operationId);
    Operation operation = route.getOperation();
    route.setDoValidation(false).setDoSecurity(false);
    route.addHandler(ctx -> {
      ctx.put(ACTION, action);
      Future<?> checked;
      try {
        checkMediaType(ctx, operation, rawMediaTypes);
        checked = validate
            ? extractor.extractValidatableRequest(ctx, operation).compose(r -> validator.validate(r, operationId))
            : Future.succeededFuture();
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

  private static void checkMediaType(RoutingContext ctx, Operation operation, Set<String> rawMediaTypes) {
    RequestBody body = operation.getRequestBody();
    boolean hasBody = ctx.body() != null && ctx.body().length() > 0;
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
