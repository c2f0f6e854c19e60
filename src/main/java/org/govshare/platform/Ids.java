package org.govshare.platform;

import java.security.SecureRandom;

/** Short, unguessable ids such as {@code app-7k2m9xq4rt2m}: readable in an inbox or a curl line (applications, disputes, objections, cross-checks). */
public final class Ids {
  private static final String ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789";
  private static final SecureRandom RANDOM = new SecureRandom();

  private Ids() {}

  public static String next(String prefix) {
    StringBuilder sb = new StringBuilder(prefix).append('-');
    for (int i = 0; i < 12; i++) {
      sb.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    }
    return sb.toString();
  }
}
