package org.govshare.platform.http;

import org.govshare.platform.config.GovshareConfig.HttpConfig;

/** How large a body an operation reads (the sizes are configuration, see {@link HttpConfig}). */
public enum BodyLimit {
  /** Token requests: a client id and a secret. */
  SMALL,
  /** Ordinary JSON operations. */
  STANDARD,
  /** Catalogue entries: up to 500 data items of full-length text. */
  LARGE,
  /** Not buffered: the handler gets the request paused and reads (and bounds) the stream itself. */
  STREAMED;

  long bytes(HttpConfig http) {
    return switch (this) {
      case SMALL -> http.smallBodyLimitBytes();
      case STANDARD -> http.bodyLimitBytes();
      case LARGE -> http.largeBodyLimitBytes();
      case STREAMED -> Long.MAX_VALUE;
    };
  }
}
