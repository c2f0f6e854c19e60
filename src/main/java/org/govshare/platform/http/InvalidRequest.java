package org.govshare.platform.http;

import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;
import java.util.UUID;
import org.govshare.platform.Problem;

/**
 * Requests the HTTP decoder could not read (a request line or headers over the limits, broken
 * framing) never reach the router: they still get problem+json, and the connection is closed
 * because what follows on it cannot be trusted.
 */
final class InvalidRequest {
  private InvalidRequest() {}

  static void refuse(HttpServerRequest request) {
    Throwable cause = request.decoderResult().cause();
    Problem problem;
    if (cause instanceof TooLongHttpHeaderException) {
      problem = new Problem(431, "HEADERS_TOO_LARGE", "Request header fields too large",
          "the request's headers exceed the server's limit", List.of(), null);
    } else if (cause instanceof TooLongHttpLineException || cause instanceof TooLongFrameException) {
      problem = new Problem(414, "URI_TOO_LONG", "Request line too long", "the request line exceeds the server's limit", List.of(), null);
    } else {
      problem = Problem.malformed("the request is not valid HTTP");
    }
    request.response()
        .setStatusCode(problem.status())
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/problem+json; charset=utf-8")
        .putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE)
        .putHeader("X-Request-Id", UUID.randomUUID().toString())
        .end(problem.toJson(null).toBuffer())
        .onComplete(v -> request.connection().close());
  }
}
