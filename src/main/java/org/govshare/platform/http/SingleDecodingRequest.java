package org.govshare.platform.http;

import io.vertx.core.MultiMap;
import io.vertx.core.internal.http.HttpServerRequestInternal;
import io.vertx.core.internal.http.HttpServerRequestWrapper;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * vertx-openapi 5.0.7 URL-decodes query values that Vert.x has already decoded, so {@code q=%25}
 * fails and {@code q=C%2B%2B} turns into "C  ". Handing it the values re-encoded makes its
 * second decode return them unchanged.
 */
final class SingleDecodingRequest extends HttpServerRequestWrapper {
  SingleDecodingRequest(HttpServerRequestInternal delegate) {
    super(delegate);
  }

  @Override
  public MultiMap params() {
    return encoded(delegate.params());
  }

  @Override
  public MultiMap params(boolean semicolonIsNormalChar) {
    return encoded(delegate.params(semicolonIsNormalChar));
  }

  private static MultiMap encoded(MultiMap decoded) {
    MultiMap out = MultiMap.caseInsensitiveMultiMap();
    decoded.forEach(e -> out.add(e.getKey(), URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)));
    return out;
  }
}
