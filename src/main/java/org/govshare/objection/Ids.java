package org.govshare.objection;

import java.security.SecureRandom;

/** Short, unguessable ids such as {@code obj-7k2m9xq4rt2m}, as the sharing workflow gives its applications. */
final class Ids {
  private static final String ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789";
  private static final SecureRandom RANDOM = new SecureRandom();

  private Ids() {}

  static String next(String prefix) {
    StringBuilder sb = new StringBuilder(prefix).append('-');
    for (int i = 0; i < 12; i++) {
      sb.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    }
    return sb.toString();
  }
}
