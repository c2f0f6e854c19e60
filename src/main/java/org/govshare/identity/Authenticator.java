package org.govshare.identity;

import org.govshare.kernel.Role;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import java.util.Set;
import io.vertx.ext.web.RoutingContext;
import org.govshare.platform.Problem;
import org.govshare.platform.http.ApiRequest;

/**
 * Every {@code /api/} request but the token endpoint needs a valid bearer token; an AUDITOR's
 * requests may only read.
 */
public final class Authenticator implements Handler<RoutingContext> {
  public static final String TOKEN_PATH = "/api/v1/auth/token";
  // one rule for every operation, present and future, instead of a check in each service
  private static final Set<HttpMethod> READS = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);

  private final TokenService tokens;

  public Authenticator(TokenService tokens) {
    this.tokens = tokens;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String path = ctx.normalizedPath();
    if (!path.startsWith("/api/") || path.equals(TOKEN_PATH)) {
      ctx.next();
      return;
    }
    String header = ctx.request().getHeader("Authorization");
    if (header == null || header.isBlank()) {
      ctx.fail(Problem.unauthenticated("send 'Authorization: Bearer <token>'; get a token from POST " + TOKEN_PATH));
      return;
    }
    if (!header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() < 8) {
      ctx.fail(Problem.unauthenticated("the Authorization header must use the Bearer scheme"));
      return;
    }
    tokens.verify(header.substring(7).trim()).onComplete(ar -> {
      if (ar.succeeded()) {
        ApiRequest.authenticate(ctx, ar.result());
        if (ar.result().has(Role.AUDITOR) && !READS.contains(ctx.request().method())) {
          ctx.fail(Problem.forbidden("an AUDITOR reads only; it changes nothing"));
          return;
        }
        ctx.next();
      } else {
        ctx.fail(ar.cause());
      }
    });
  }
}
