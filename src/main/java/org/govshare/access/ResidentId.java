package org.govshare.access;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.ZoneId;

/**
 * The citizen identity number (公民身份号码, GB 11643-1999): 6 digits of the address code, the
 * birth date as 8 digits, 3 digits of sequence and a check character over the first 17 (weights
 * 2^(18-i) mod 11, the sum mod 11 maps to {@code 10X98765432}).
 */
public final class ResidentId {
  private static final int[] WEIGHTS = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  private static final String CHECK = "10X98765432";
  private static final LocalDate EARLIEST = LocalDate.of(1800, 1, 1);

  private ResidentId() {}

  /** The canonical form: trimmed, a lower-case check character {@code x} written as {@code X}. */
  public static String normalise(String id) {
    return id.trim().toUpperCase(java.util.Locale.ROOT);
  }

  /** Null when valid (in its canonical form), otherwise what is wrong with it. */
  public static String problem(String id, ZoneId zone) {
    if (id.length() != 18) {
      return "a resident ID has 18 characters, got " + id.length();
    }
    for (int i = 0; i < 17; i++) {
      if (id.charAt(i) < '0' || id.charAt(i) > '9') {
        return "character " + (i + 1) + " of a resident ID must be a digit";
      }
    }
    LocalDate birth;
    try {
      birth = LocalDate.of(Integer.parseInt(id.substring(6, 10)), Integer.parseInt(id.substring(10, 12)),
          Integer.parseInt(id.substring(12, 14)));
    } catch (DateTimeException e) {
      return "characters 7-14 (" + id.substring(6, 14) + ") are not a real birth date";
    }
    if (birth.isBefore(EARLIEST) || birth.isAfter(LocalDate.now(zone))) {
      return "birth date " + birth + " is not possible";
    }
    char expected = checkCharacter(id.substring(0, 17));
    if (id.charAt(17) != expected) {
      return "check character is '" + id.charAt(17) + "' but the first 17 characters require '" + expected + "'";
    }
    return null;
  }

  public static char checkCharacter(String first17) {
    int sum = 0;
    for (int i = 0; i < 17; i++) {
      sum += (first17.charAt(i) - '0') * WEIGHTS[i];
    }
    return CHECK.charAt(sum % 11);
  }
}
