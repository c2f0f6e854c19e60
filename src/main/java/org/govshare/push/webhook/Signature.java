package org.govshare.push.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Webhook secrets and signatures. A subscription's secret is derived from the platform's webhook
 * key and the subscription's own random salt (ADR 0012): nothing per subscription is stored from
 * which it could be read back without that key. A delivery is signed as
 * {@code X-Govshare-Signature: sha256=HEX(HMAC-SHA256(secret, timestamp + "." + body))}, the key being
 * the UTF-8 bytes of the secret exactly as it was shown.
 */
public final class Signature {
  public static final String PREFIX = "whsec_";

  private Signature() {}

  public static String secret(byte[] platformKey, String subscriptionId, byte[] salt) {
    byte[] derived = hmac(platformKey, ("govshare-webhook-secret:" + subscriptionId + ":" + HexFormat.of().formatHex(salt))
        .getBytes(StandardCharsets.UTF_8));
    return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(derived);
  }

  /** The header value: {@code sha256=} and the lowercase hex HMAC of {@code timestamp.body}. */
  public static String sign(String secret, long timestamp, byte[] body) {
    byte[] prefix = (timestamp + ".").getBytes(StandardCharsets.UTF_8);
    byte[] message = new byte[prefix.length + body.length];
    System.arraycopy(prefix, 0, message, 0, prefix.length);
    System.arraycopy(body, 0, message, prefix.length, body.length);
    return "sha256=" + HexFormat.of().formatHex(hmac(secret.getBytes(StandardCharsets.UTF_8), message));
  }

  static byte[] hmac(byte[] key, byte[] message) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(message);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }
}
