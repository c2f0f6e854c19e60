package org.govshare.push.webhook;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Set;
import org.govshare.platform.Problem;

/**
 * Where a subscriber may ask the platform to POST: {@code https://} anywhere, plain {@code http://}
 * only to the hosts an operator allowed ({@code webhook.allowed-http-hosts}); no credentials in the
 * URL (they would show in every listing), no fragment, bounded length. Refusals are 422 on
 * {@code callbackUrl}.
 */
public final class CallbackUrl {
  private CallbackUrl() {}

  public static URI check(String raw, Set<String> allowedHttpHosts, int maxLength) {
    if (raw.length() > maxLength) {
      throw refuse("is longer than " + maxLength + " characters");
    }
    URI uri;
    try {
      uri = new URI(raw);
    } catch (URISyntaxException e) {
      throw refuse("is not a valid URL: " + e.getReason());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!uri.isAbsolute() || uri.isOpaque() || !(scheme.equals("https") || scheme.equals("http"))) {
      throw refuse("must be an absolute https:// URL");
    }
    if (uri.getRawUserInfo() != null) {
      throw refuse("must not carry credentials (user:password@); the platform signs each delivery instead");
    }
    String host = uri.getHost();
    if (host == null || host.isEmpty()) {
      throw refuse("must name a host");
    }
    if (uri.getRawFragment() != null) {
      throw refuse("must not have a fragment (#...)");
    }
    if (uri.getPort() == 0) {
      throw refuse("must not use port 0");
    }
    String bareHost = host.toLowerCase(Locale.ROOT);
    if (bareHost.startsWith("[") && bareHost.endsWith("]")) {
      bareHost = bareHost.substring(1, bareHost.length() - 1);
    }
    if (scheme.equals("http") && !allowedHttpHosts.contains(bareHost)) {
      throw refuse("must use https://; plain http:// is accepted only to hosts the operator allowed (webhook.allowed-http-hosts), and "
          + host + " is not one of them");
    }
    return uri;
  }

  private static Problem refuse(String why) {
    return Problem.rule("callbackUrl", why);
  }
}
