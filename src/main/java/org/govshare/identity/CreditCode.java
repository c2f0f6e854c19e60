package org.govshare.identity;

/**
 * The unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters over
 * {@code 0-9ABCDEFGHJKLMNPQRTUWXY}; the last is a check character over the first 17 with weights
 * 3^(i-1) mod 31.
 */
public final class CreditCode {
  static final String ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY";

  private CreditCode() {}

  /** Null when valid, otherwise what is wrong with it, in words a department clerk can act on. */
  public static String problem(String code) {
    if (code.length() != 18) {
      return "must be 18 characters, got " + code.length();
    }
    int sum = 0;
    int weight = 1;
    for (int i = 0; i < 17; i++) {
      int value = ALPHABET.indexOf(code.charAt(i));
      if (value < 0) {
        return "character " + (i + 1) + " ('" + code.charAt(i) + "') is not allowed; use digits and the letters "
            + ALPHABET.substring(10);
      }
      sum += value * weight;
      weight = (weight * 3) % 31;
    }
    char expected = ALPHABET.charAt((31 - sum % 31) % 31);
    if (code.charAt(17) != expected) {
      return "check character is '" + code.charAt(17) + "' but the first 17 characters require '" + expected + "'";
    }
    return null;
  }

  public static char checkCharacter(String first17) {
    int sum = 0;
    int weight = 1;
    for (int i = 0; i < 17; i++) {
      sum += ALPHABET.indexOf(first17.charAt(i)) * weight;
      weight = (weight * 3) % 31;
    }
    return ALPHABET.charAt((31 - sum % 31) % 31);
  }
}
