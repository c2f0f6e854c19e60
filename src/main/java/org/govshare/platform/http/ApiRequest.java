package org.govshare.platform.http;

import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import org.govshare.kernel.Caller;
import org.govshare.kernel.Principal;
import org.govshare.platform.Problem;
import org.govshare.platform.Text;

/** What a handler reads from a request that passed authentication and contract validation. */
public final class ApiRequest {
  static final String PRINCIPAL = "govshare.principal";
  static final String REQUEST_ID = "govshare.requestId";
  static final String CLIENT_REQUEST_ID = "govshare.clientRequestId";
  static final String CLAIMED_CLIENT = "govshare.claimedClient";
  private static final String QUERY = "govshare.query";

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
    return new Caller(ctx.get(PRINCIPAL), ctx.get(REQUEST_ID), ctx.get(CLAIMED_CLIENT), ctx.get(CLIENT_REQUEST_ID));
  }

  public String requestId() {
    return ctx.get(REQUEST_ID);
  }

  /** The JSON body, decoded and checked against the text rules when it was read ({@link BodyReader}). */
  public JsonObject body() {
    Object json = ctx.get(BodyReader.JSON);
    if (json == null) {
      throw Problem.malformed("a JSON body is required");
    }
    if (!(json instanceof JsonObject body)) {
      throw Problem.malformed("the body is not a JSON object");
    }
    return body;
  }

  /** An {@code application/x-www-form-urlencoded} body (token requests only: small), decoded strictly. */
  public JsonObject form() {
    JsonObject form = new JsonObject();
    if (ctx.body() == null || ctx.body().buffer() == null) {
      return form;
    }
    urlEncoded("body", Text.utf8("body", ctx.body().buffer().getBytes()), form::put);
    return form;
  }

  /**
   * {@code Authorization: Basic} credentials as RFC 6749 §2.3.1 sends them (each part form-encoded),
   * or empty when the header is absent or another scheme.
   */
  public Optional<String[]> basicCredentials() {
    String header = header("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
      return Optional.empty();
    }
    byte[] decoded;
    try {
      decoded = java.util.Base64.getDecoder().decode(header.substring(6).trim());
    } catch (IllegalArgumentException e) {
      throw Problem.malformed("the Basic credentials are not base64");
    }
    String pair = Text.utf8("Authorization", decoded);
    int colon = pair.indexOf(':');
    if (colon <= 0) {
      return Optional.empty();
    }
    return Optional.of(new String[] {
        Text.checkLine("client_id", Text.percentDecoded("client_id", pair.substring(0, colon))),
        Text.checkLine("client_secret", Text.percentDecoded("client_secret", pair.substring(colon + 1)))});
  }

  public String path(String name) {
    return Text.checkLine(name, ctx.pathParam(name));
  }

  public Optional<String> query(String name) {
    String v = checkQuery(ctx).get(name);
    return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v);
  }

  /**
   * Root step: the request target's path and query must decode strictly before anything (routing,
   * authentication) reads them.
   */
  static void checkTarget(RoutingContext ctx) {
    try {
      String path = ctx.request().path();
      if (path != null && path.indexOf('%') >= 0) {
        for (String segment : path.split("/")) {
          Text.checkLine("path", Text.percentDecoded("path", segment, false));
        }
      }
      checkQuery(ctx);
    } catch (Problem p) {
      ctx.fail(p);
      return;
    }
    ctx.next();
  }

  /**
   * The query decoded once, strictly: a broken %-escape, bytes that are not UTF-8 or a control
   * character is a 400 here, before anything else reads the query.
   */
  static MultiMap checkQuery(RoutingContext ctx) {
    MultiMap checked = ctx.get(QUERY);
    if (checked != null) {
      return checked;
    }
    checked = MultiMap.caseInsensitiveMultiMap();
    String raw = ctx.request().query();
    if (raw != null) {
      urlEncoded("query", raw, checked::add);
    }
    ctx.put(QUERY, checked);
    return checked;
  }

  /** Name=value pairs of a query or form body, each name and value %-decoded strictly and checked as one line of text. */
  private static void urlEncoded(String where, String raw, java.util.function.BiConsumer<String, String> sink) {
    for (String pair : raw.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = Text.checkLine(where, Text.percentDecoded(where, eq < 0 ? pair : pair.substring(0, eq)));
      sink.accept(name, eq < 0 ? "" : Text.checkLine(name, Text.percentDecoded(name, pair.substring(eq + 1))));
    }
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
