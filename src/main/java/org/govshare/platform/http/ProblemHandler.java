package org.govshare.platform.http;

import io.vertx.core.Handler;
import io.vertx.core.json.DecodeException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.openapi.validation.SchemaValidationException;
import io.vertx.openapi.validation.ValidatorErrorType;
import io.vertx.openapi.validation.ValidatorException;
import io.vertx.json.schema.OutputUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.govshare.kernel.AuditAction;
import org.govshare.kernel.AuditEntry;
import org.govshare.kernel.AuditSink;
import org.govshare.kernel.Caller;
import org.govshare.kernel.Outcome;
import org.govshare.kernel.RefusalTally;
import org.govshare.platform.Problem;
import org.govshare.platform.Problem.FieldError;
import org.govshare.platform.db.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where every failure becomes an RFC 9457 problem+json reply and, on the API,
 * an audit record (refusals are DENIED, server faults FAILED). Never a stack trace to the client.
 */
public final class ProblemHandler implements Handler<RoutingContext> {
  private static final Logger LOG = LoggerFactory.getLogger(ProblemHandler.class);
  private static final Pattern WRAPPER =
      Pattern.compile("Property \".*\" does not match schema|A subschema had errors|Item \\d+ does not match schema|Items did not match schema");
  private static final Pattern PARAMETER = Pattern.compile("(query|path|header|cookie) parameter (\\S+)");

  private final AuditSink audit;
  private final RefusalTally anonymous;

  public ProblemHandler(AuditSink audit, RefusalTally anonymous) {
    this.audit = audit;
    this.anonymous = anonymous;
  }

  @Override
  public void handle(RoutingContext ctx) {
    Problem problem = translate(ctx.failure(), ctx.statusCode());
    String requestId = ctx.get(ApiRequest.REQUEST_ID);
    if (problem.status() == 503 || upstream(problem)) {
      LOG.warn("request {} {} {}: {}", requestId, ctx.request().method(), ctx.request().path(), String.valueOf(ctx.failure()));
    } else if (problem.status() >= 500) {
      LOG.error("request {} {} {} failed", requestId, ctx.request().method(), ctx.request().path(), ctx.failure());
    }
    // a refusal is answered once its record is durable, like any access, so the log's order follows
    // what clients saw; failures (5xx) are answered at once, the database may be what failed
    Future<Void> recorded = ctx.request().path().startsWith("/api/") ? record(ctx, problem) : Future.succeededFuture();
    if (problem.status() >= 500 && !upstream(problem)) {
      reply(ctx, problem);
    } else {
      recorded.onComplete(ar -> reply(ctx, problem));
    }
  }

  /**
   * 502 and 504 say another system (a provider's interface) failed, not this one: logged without a
   * stack, and answered once their audit record is durable, like refusals.
   */
  private static boolean upstream(Problem problem) {
    return problem.status() == 502 || problem.status() == 504;
  }

  private static void reply(RoutingContext ctx, Problem problem) {
    if (ctx.response().ended() || ctx.response().headWritten()) {
      if (!ctx.response().ended()) {
        ctx.response().reset();
      }
      return;
    }
    if (problem.status() == 401) {
      ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"govshare\"");
    }
    problem.retryAfterSeconds().ifPresent(s -> ctx.response().putHeader("Retry-After", String.valueOf(s)));
    ctx.response()
        .setStatusCode(problem.status())
        .putHeader("Content-Type", "application/problem+json; charset=utf-8")
        .end(problem.toJson(ctx.request().path()).toBuffer());
  }

  private Future<Void> record(RoutingContext ctx, Problem problem) {
    AuditAction action = ctx.get(Api.ACTION);
    Caller caller = ApiRequest.caller(ctx);
    JsonObject detail = new JsonObject()
        .put("status", problem.status())
        .put("code", problem.code())
        .put("method", ctx.request().method().name())
        .put("path", ctx.request().path())
        .put("reason", problem.detail());
    if (problem.auditDetail() != null) {
      problem.auditDetail().forEach(e -> detail.put(e.getKey(), e.getValue()));
    }
    JsonObject extra = ctx.get("govshare.auditDetail");
    if (extra != null) {
      extra.forEach(e -> detail.put(e.getKey(), e.getValue()));
    }
    String resource = ctx.get("govshare.auditResource") != null ? ctx.get("govshare.auditResource") : problem.auditResource();
    String subject = ctx.get("govshare.auditSubject");
    AuditEntry entry = AuditEntry.of(caller, action == null ? AuditAction.HTTP_REQUEST : action, resource, subject,
        problem.status() >= 500 ? Outcome.FAILED : Outcome.DENIED, detail);
    if (caller.principal() == null && problem.status() < 500) {
      // anyone can send these by the thousand: counted, not recorded one by one
      anonymous.record(entry, ctx.request().remoteAddress() == null ? null : ctx.request().remoteAddress().hostAddress());
      return Future.succeededFuture();
    }
    return audit.append(entry)
        .onFailure(e -> LOG.warn("could not audit refusal of request {}: {}", caller.requestId(), e.getMessage()))
        .mapEmpty();
  }

  static Problem translate(Throwable failure, int status) {
    if (failure instanceof Problem p) {
      return p;
    }
    if (Database.unreachable(failure)) {
      return Problem.unavailable("the database did not answer in time; try again shortly");
    }
    if (failure instanceof HttpException http && http.getCause() != null && !(http.getCause() instanceof HttpException)) {
      Problem inner = translate(http.getCause(), http.getStatusCode());
      if (inner.status() < 500) {
        return inner;
      }
      status = http.getStatusCode();
      failure = null;
    } else if (failure instanceof HttpException http) {
      status = http.getStatusCode();
    }
    if (failure instanceof SchemaValidationException sve) {
      return Problem.invalid(fieldErrors(sve));
    }
    if (failure instanceof ValidatorException ve) {
      if (ve.type() == ValidatorErrorType.ILLEGAL_VALUE) {
        return Problem.malformed(ve.getMessage().contains("body") ? "the body is not valid JSON" : ve.getMessage());
      }
      if (ve.type() == ValidatorErrorType.UNSUPPORTED_VALUE_FORMAT && ve.getMessage().contains("body")) {
        return new Problem(415, "UNSUPPORTED_MEDIA_TYPE", "Unsupported media type", "this operation accepts application/json",
            List.of(), null);
      }
      if (ve.type() == ValidatorErrorType.MISSING_REQUIRED_PARAMETER) {
        Matcher m = PARAMETER.matcher(ve.getMessage());
        return m.find() ? Problem.invalid(m.group(2), "is required") : Problem.malformed("a request body is required");
      }
      return Problem.malformed(ve.getMessage());
    }
    if (failure instanceof DecodeException) {
      return Problem.malformed("the body is not valid JSON");
    }
    return switch (status) {
      case 400 -> Problem.malformed("the request could not be read");
      case 401 -> Problem.unauthenticated("a valid bearer token is required");
      case 403 -> Problem.forbidden("not allowed");
      case 404 -> Problem.notFound("no such endpoint");
      case 405 -> new Problem(405, "METHOD_NOT_ALLOWED", "Method not allowed", "this path does not accept that method", List.of(), null);
      case 413 -> new Problem(413, "PAYLOAD_TOO_LARGE", "Request body too large", "the body exceeds the configured limit", List.of(), null);
      case 415 -> new Problem(415, "UNSUPPORTED_MEDIA_TYPE", "Unsupported media type", "that media type is not accepted here", List.of(), null);
      case 429 -> new Problem(429, "RATE_LIMITED", "Too many requests", "slow down", List.of(), null);
      case 503 -> Problem.unavailable("the service is temporarily unavailable");
      default -> status >= 400 && status < 500
          ? new Problem(status, "BAD_REQUEST", "Request refused", "the request was refused", List.of(), null)
          : new Problem(500, "INTERNAL_ERROR", "Internal error", "an unexpected error occurred; it has been logged", List.of(), null);
    };
  }

  private static List<FieldError> fieldErrors(SchemaValidationException e) {
    Matcher m = PARAMETER.matcher(e.getMessage());
    String parameter = m.find() ? m.group(2) : null;
    List<FieldError> errors = new ArrayList<>();
    java.util.Set<String> unknown = new java.util.LinkedHashSet<>();
    OutputUnit unit = e.getOutputUnit();
    if (unit != null && unit.getErrors() != null) {
      for (OutputUnit u : unit.getErrors()) {
        String location = u.getInstanceLocation() == null ? "" : u.getInstanceLocation();
        String field = location.isEmpty() || "/".equals(location) || "#".equals(location)
            ? (parameter != null ? parameter : "body")
            : location.replaceFirst("^#?/", "").replace('/', '.');
        if (parameter != null && !field.equals(parameter)) {
          field = parameter + "." + field;
        }
        String message = u.getError() == null ? "is invalid" : u.getError();
        if (WRAPPER.matcher(message).matches()) {
          continue; // an enclosing schema reporting that a nested one failed: the nested error says why
        }
        if (message.endsWith("does not match additional properties schema")) {
          unknown.add(field);
          continue;
        }
        FieldError fe = new FieldError(field, message);
        if (!errors.contains(fe)) {
          errors.add(fe);
        }
      }
    }
    for (String field : unknown) {
      // additionalProperties:false also flags declared properties whose value failed; name only true strangers
      if (errors.stream().noneMatch(known -> known.field().equals(field))) {
        errors.add(new FieldError(field, "is not a field of this request"));
      }
    }
    if (errors.isEmpty()) {
      errors.add(new FieldError(parameter != null ? parameter : "body", e.getMessage()));
    }
    return errors;
  }
}
