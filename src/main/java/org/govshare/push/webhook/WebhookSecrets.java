package org.govshare.push.webhook;

import io.vertx.core.Future;
import java.security.SecureRandom;

/**
 * The platform's webhook key (one per deployment, in the database like the token signing key) and
 * the subscription secrets derived from it. Loaded once at start-up; the key is never logged.
 */
public final class WebhookSecrets {
  private static final SecureRandom RANDOM = new SecureRandom();
  private final SubscriptionStore store;
  private volatile byte[] key;

  public WebhookSecrets(SubscriptionStore store) {
    this.store = store;
  }

  public Future<Void> load() {
    byte[] candidate = new byte[32];
    RANDOM.nextBytes(candidate);
    return store.platformKey(candidate).map(k -> {
      key = k;
      return null;
    });
  }

  public static byte[] newSalt() {
    byte[] salt = new byte[16];
    RANDOM.nextBytes(salt);
    return salt;
  }

  public String of(String subscriptionId, byte[] salt) {
    if (key == null) {
      throw new IllegalStateException("the webhook key is not loaded yet");
    }
    return Signature.secret(key, subscriptionId, salt);
  }

  public String of(Subscription s) {
    return of(s.id(), s.salt());
  }

  @Override
  public String toString() {
    return "WebhookSecrets[key=***]";
  }
}
