package org.govshare.identity;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.spec.InvalidKeySpecException;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * PBKDF2-HMAC-SHA256 for client secrets: deliberately slow, so always called on a worker thread.
 * Stored as {@code pbkdf2-sha256$iterations$salt$hash}; the iteration count travels with the hash
 * so it can be raised without invalidating existing secrets.
 */
public final class SecretHasher {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String PREFIX = "pbkdf2-sha256";

  private final int iterations;

  public SecretHasher(int iterations) {
    this.iterations = iterations;
  }

  public String hash(String secret) {
    byte[] salt = new byte[16];
    RANDOM.nextBytes(salt);
    byte[] dk = derive(secret, salt, iterations);
    return PREFIX + "$" + iterations + "$" + b64(salt) + "$" + b64(dk);
  }

  public boolean matches(String secret, String stored) {
    String[] parts = stored.split("\\$");
    if (parts.length != 4 || !PREFIX.equals(parts[0])) {
      return false;
    }
    int n = Integer.parseInt(parts[1]);
    byte[] salt = Base64.getDecoder().decode(parts[2]);
    byte[] expected = Base64.getDecoder().decode(parts[3]);
    return MessageDigest.isEqual(expected, derive(secret, salt, n));
  }

  public static String newSecret() {
    byte[] raw = new byte[32];
    RANDOM.nextBytes(raw);
    return "gss_" + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
  }

  private static byte[] derive(String secret, byte[] salt, int iterations) {
    try {
      PBEKeySpec spec = new PBEKeySpec(secret.toCharArray(), salt, iterations, 256);
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
    } catch (NoSuchAlgorithmException | InvalidKeySpecException e) {
      throw new IllegalStateException("PBKDF2 unavailable", e);
    }
  }

  private static String b64(byte[] b) {
    return Base64.getEncoder().withoutPadding().encodeToString(b);
  }
}
