package org.govshare.identity;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import org.govshare.platform.Problem;
import org.govshare.platform.http.ApiRequest;

/** Every {@code /api/} request but the token endpoint needs a valid bearer token. */
public final class Authenticator implements Handler<RoutingContext> {
  public static final String TOKEN_PATH = "/api/v1/auth/token";

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
        ctx.next();
      } else {
        ctx.fail(ar.cause());
      }
    });
  }
}
