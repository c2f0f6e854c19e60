package org.govshare.platform.http;

import io.vertx.core.Future;

@FunctionalInterface
public interface ApiHandler {
  Future<Reply> handle(ApiRequest request);
}
