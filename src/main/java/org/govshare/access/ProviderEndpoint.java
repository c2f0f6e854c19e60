package org.govshare.access;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import org.govshare.access.RecordSchema.ProviderInterface;

/**
 * Where a call to a provider's interface goes, checked before any network request: an http(s) URL
 * without user information, whose host (or host:port) an operator listed in
 * {@code proxy.allowed-hosts}. The key goes into the {@code {key}} placeholder, or else into the
 * query parameter {@code key}, percent-encoded so it cannot change host, path or parameters.
 */
final class ProviderEndpoint {
  static final String PLACEHOLDER = "{key}";

  /** Why an endpoint may not be called; {@code host} is what the operator would have to allow. */
  static final class NotAllowed extends RuntimeException {
    NotAllowed(String message) {
      super(message, null, false, false);
    }
  }

  private ProviderEndpoint() {}

  /** The URL of one call, or {@link NotAllowed}. */
  static URI target(ProviderInterface api, String key, List<String> allowedHosts) {
    URI base = checked(api, allowedHosts);
    String template = api.endpoint().trim();
    String url;
    if (template.contains(PLACEHOLDER)) {
      url = template.replace(PLACEHOLDER, encode(key));
    } else if ("POST".equals(api.method())) {
      url = template;
    } else {
      url = template + (base.getRawQuery() == null ? "?" : "&") + "key=" + encode(key);
    }
    URI out = URI.create(url);
    if (!authority(out).equals(authority(base))) {
      throw new NotAllowed("the key changed the endpoint's host"); // cannot happen with the encoding above; kept as a guard
    }
    return out;
  }

  /** The endpoint itself, placeholder aside, when it may be called. */
  static URI checked(ProviderInterface api, List<String> allowedHosts) {
    if (api == null || api.endpoint() == null || api.endpoint().isBlank()) {
      throw new NotAllowed("the resource registers no endpoint");
    }
    URI uri;
    try {
      uri = new URI(api.endpoint().trim().replace(PLACEHOLDER, "k"));
    } catch (URISyntaxException e) {
      throw new NotAllowed("the registered endpoint is not a valid URL");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new NotAllowed("the registered endpoint is not an http or https URL");
    }
    if (uri.getHost() == null) {
      throw new NotAllowed("the registered endpoint names no host");
    }
    if (uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
      throw new NotAllowed("the registered endpoint carries user information or a fragment");
    }
    String host = uri.getHost().toLowerCase(Locale.ROOT);
    String hostPort = host + ":" + port(uri);
    if (!allowedHosts.contains(host) && !allowedHosts.contains(hostPort)) {
      throw new NotAllowed("host " + hostPort + " is not in proxy.allowed-hosts");
    }
    return uri;
  }

  static int port(URI uri) {
    if (uri.getPort() >= 0) {
      return uri.getPort();
    }
    return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
  }

  private static String authority(URI uri) {
    return uri.getScheme().toLowerCase(Locale.ROOT) + "://" + uri.getHost().toLowerCase(Locale.ROOT) + ":" + port(uri);
  }

  /** Everything but unreserved letters, digits, {@code -_~} percent-encoded (a dot too: no {@code ..} segments). */
  static String encode(String value) {
    StringBuilder out = new StringBuilder();
    for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '~') {
        out.append((char) c);
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16))).append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
      }
    }
    return out.toString();
  }
}
