package org.govshare.platform;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The one domain exception: a refusal with an HTTP status and a stable machine-readable code.
 * Services fail their futures with it; the failure handler renders it as RFC 9457 problem+json.
 */
public final class Problem extends RuntimeException {

  public record FieldError(String field, String message) {
    public JsonObject toJson() {
      return new JsonObject().put("field", field).put("message", message);
    }
  }

  private final int status;
  private final String code;
  private final String title;
  private final List<FieldError> errors;
  private final JsonObject extra;
  private Integer retryAfterSeconds;
  private String auditResource;
  private JsonObject auditDetail;

  public Problem(int status, String code, String title, String detail, List<FieldError> errors, JsonObject extra) {
    super(detail, null, false, false);
    this.status = status;
    this.code = code;
    this.title = title;
    this.errors = List.copyOf(errors);
    this.extra = extra == null ? new JsonObject() : extra;
  }

  public static Problem malformed(String detail) {
    return new Problem(400, "MALFORMED_REQUEST", "Malformed request", detail, List.of(), null);
  }

  public static Problem invalid(List<FieldError> errors) {
    return new Problem(400, "VALIDATION_FAILED", "Validation failed", summary(errors), errors, null);
  }

  public static Problem invalid(String field, String message) {
    return invalid(List.of(new FieldError(field, message)));
  }

  /** Well-formed but breaks a rule of the platform (422). */
  public static Problem rule(String field, String message) {
    return rule(List.of(new FieldError(field, message)));
  }

  public static Problem rule(List<FieldError> errors) {
    return new Problem(422, "VALIDATION_FAILED", "The request breaks a rule", summary(errors), errors, null);
  }

  public static Problem unauthenticated(String detail) {
    return new Problem(401, "UNAUTHENTICATED", "Authentication required", detail, List.of(), null);
  }

  public static Problem forbidden(String detail) {
    return new Problem(403, "FORBIDDEN", "Not allowed", detail, List.of(), null);
  }

  public static Problem notFound(String what, String id) {
    return new Problem(404, "NOT_FOUND", "Not found", what + " '" + id + "' does not exist", List.of(), null);
  }

  public static Problem notFound(String detail) {
    return new Problem(404, "NOT_FOUND", "Not found", detail, List.of(), null);
  }

  public static Problem conflict(String detail) {
    return new Problem(409, "CONFLICT", "Conflicts with the current state", detail, List.of(), null);
  }

  /** 429: the client should wait {@code retryAfterSeconds} (sent as {@code Retry-After}) before trying again. */
  public static Problem rateLimited(String detail, long retryAfterSeconds) {
    return new Problem(429, "RATE_LIMITED", "Too many requests", detail, List.of(), null).with("retryAfter", retryAfterSeconds)
        .retryAfter((int) Math.min(Integer.MAX_VALUE, retryAfterSeconds));
  }

  /** 503: worth a retry, by default after 5 seconds (sent as {@code Retry-After}). */
  public static Problem unavailable(String detail) {
    return new Problem(503, "UNAVAILABLE", "Temporarily unavailable", detail, List.of(), null).retryAfter(5);
  }

  public static Problem payloadTooLarge(long limitBytes) {
    return new Problem(413, "PAYLOAD_TOO_LARGE", "Request body too large",
        "this operation accepts bodies of at most " + limitBytes + " bytes", List.of(), null);
  }

  /** Sent as the {@code Retry-After} header. */
  public Problem retryAfter(int seconds) {
    this.retryAfterSeconds = seconds;
    return this;
  }

  /** Seconds for a {@code Retry-After} header, when the refusal names them. */
  public java.util.OptionalInt retryAfterSeconds() {
    return retryAfterSeconds == null ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(retryAfterSeconds);
  }

  /** The resource the refusal was about, for the audit record only: never shown to the client. */
  public Problem auditedAs(String resource) {
    this.auditResource = resource;
    return this;
  }

  public String auditResource() {
    return auditResource;
  }

  /** Detail for the audit record only, never shown to the client (e.g. what a provider's interface answered). */
  public Problem auditDetail(String key, Object value) {
    if (auditDetail == null) {
      auditDetail = new JsonObject();
    }
    auditDetail.put(key, value);
    return this;
  }

  public JsonObject auditDetail() {
    return auditDetail;
  }

  public Problem with(String key, Object value) {
    extra.put(key, value);
    return this;
  }

  private static String summary(List<FieldError> errors) {
    if (errors.size() == 1) {
      return errors.get(0).field() + ": " + errors.get(0).message();
    }
    return errors.size() + " fields are invalid";
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  public String title() {
    return title;
  }

  public String detail() {
    return getMessage();
  }

  public List<FieldError> errors() {
    return errors;
  }

  public JsonObject toJson(String instance) {
    JsonObject body = new JsonObject()
        .put("type", "urn:govshare:problem:" + code.toLowerCase().replace('_', '-'))
        .put("title", title)
        .put("status", status)
        .put("detail", getMessage())
        .put("code", code);
    if (instance != null) {
      body.put("instance", instance);
    }
    if (!errors.isEmpty()) {
      JsonArray list = new JsonArray();
      errors.forEach(e -> list.add(e.toJson()));
      body.put("errors", list);
    }
    extra.forEach(e -> body.put(e.getKey(), e.getValue()));
    return body;
  }
}
