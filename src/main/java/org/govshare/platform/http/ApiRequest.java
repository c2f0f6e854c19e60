package org.govshare.platform.http;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import org.govshare.audit.Caller;
import org.govshare.identity.Principal;
import org.govshare.platform.Problem;

/** What a handler reads from a request that passed authentication and contract validation. */
public final class ApiRequest {
  static final String PRINCIPAL = "govshare.principal";
  static final String REQUEST_ID = "govshare.requestId";
  static final String CLAIMED_CLIENT = "govshare.claimedClient";

  private final RoutingContext ctx;

  ApiRequest(RoutingContext ctx) {
    this.ctx = ctx;
  }

  public static void authenticate(RoutingContext ctx, Principal principal) {
    ctx.put(PRINCIPAL, principal);
  }

  public static void claimClient(RoutingContext ctx, String clientId) {
    ctx.put(CLAIMED_CLIENT, clientId);
  }

  public RoutingContext context() {
    return ctx;
  }

  public Principal principal() {
    Principal p = ctx.get(PRINCIPAL);
    if (p == null) {
      throw Problem.unauthenticated("a bearer token is required");
    }
    return p;
  }

  public Caller caller() {
    return caller(ctx);
  }

  static Caller caller(RoutingContext ctx) {
    return new Caller(ctx.get(PRINCIPAL), ctx.get(REQUEST_ID), ctx.get(CLAIMED_CLIENT));
  }

  public String requestId() {
    return ctx.get(REQUEST_ID);
  }

  public JsonObject body() {
    if (ctx.body() == null || ctx.body().length() <= 0 || ctx.body().buffer() == null) {
      throw Problem.malformed("a JSON body is required");
    }
    try {
      JsonObject body = ctx.body().asJsonObject();
      if (body == null) {
        throw Problem.malformed("a JSON object is required");
      }
      return body;
    } catch (io.vertx.core.json.DecodeException | ClassCastException e) {
      throw Problem.malformed("the body is not a JSON object");
    }
  }

  public String path(String name) {
    return ctx.pathParam(name);
  }

  public Optional<String> query(String name) {
    String v = ctx.queryParams().get(name);
    return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v);
  }

  public Optional<LocalDate> queryDate(String name) {
    return query(name).map(v -> {
      try {
        return LocalDate.parse(v);
      } catch (DateTimeParseException e) {
        throw Problem.invalid(name, "must be a date YYYY-MM-DD");
      }
    });
  }

  public Optional<OffsetDateTime> queryTimestamp(String name) {
    return query(name).map(v -> {
      try {
        return OffsetDateTime.parse(v);
      } catch (DateTimeParseException e) {
        try {
          return LocalDate.parse(v).atStartOfDay().atOffset(java.time.ZoneOffset.UTC);
        } catch (DateTimeParseException e2) {
          throw Problem.invalid(name, "must be an ISO-8601 timestamp with offset or a date");
        }
      }
    });
  }

  public Optional<Boolean> queryBoolean(String name) {
    return query(name).map(v -> switch (v) {
      case "true" -> true;
      case "false" -> false;
      default -> throw Problem.invalid(name, "must be true or false");
    });
  }

  public <E extends Enum<E>> Optional<E> queryEnum(String name, Class<E> type) {
    return query(name).map(v -> {
      try {
        return Enum.valueOf(type, v);
      } catch (IllegalArgumentException e) {
        throw Problem.invalid(name, "is not one of " + java.util.Arrays.toString(type.getEnumConstants()));
      }
    });
  }

  public PageRequest page() {
    int limit = PageRequest.DEFAULT_LIMIT;
    Optional<String> raw = query("limit");
    if (raw.isPresent()) {
      try {
        limit = Integer.parseInt(raw.get());
      } catch (NumberFormatException e) {
        throw Problem.invalid("limit", "must be a whole number between 1 and " + PageRequest.MAX_LIMIT);
      }
      if (limit < 1 || limit > PageRequest.MAX_LIMIT) {
        throw Problem.invalid("limit", "must be between 1 and " + PageRequest.MAX_LIMIT);
      }
    }
    return new PageRequest(limit, query("cursor").orElse(null));
  }

  public String header(String name) {
    return ctx.request().getHeader(name);
  }
}
