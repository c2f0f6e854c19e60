package org.govshare.access;

import java.util.Map;

/**
 * How a sensitive item is shown to a caller without clear access: a prefix and a suffix are kept,
 * everything between becomes {@code *}. The kept parts are fixed per data element (a resident ID
 * keeps its 6-digit address code and last 4: {@code 410727********1234}); an item of no known
 * element keeps a quarter of its characters at each end (at most 3), so short values hide entirely.
 */
public final class Masking {
  /** Characters kept at the start and at the end. */
  public record Rule(int prefix, int suffix) {}

  static final Map<String, Rule> BY_ELEMENT = Map.of(
      "citizen_id_number", new Rule(6, 4),
      "unified_social_credit_code", new Rule(8, 2),
      "mobile_phone_number", new Rule(3, 4),
      "person_name", new Rule(1, 0),
      "bank_account_number", new Rule(4, 4),
      "email_address", new Rule(2, 0));

  private Masking() {}

  public static Rule ruleFor(String dataElement, int length) {
    Rule known = dataElement == null ? null : BY_ELEMENT.get(dataElement);
    if (known != null) {
      return known;
    }
    int keep = Math.min(3, length / 4);
    return new Rule(keep, keep);
  }

  /** The masked form of a value; non-text values (numbers, dates as numbers, booleans) hide entirely. */
  public static Object mask(String dataElement, Object value) {
    if (value == null) {
      return null;
    }
    if (!(value instanceof String s)) {
      return "***";
    }
    int[] cps = s.codePoints().toArray();
    Rule rule = ruleFor(dataElement, cps.length);
    int prefix = Math.min(rule.prefix(), cps.length);
    int suffix = Math.min(rule.suffix(), cps.length - prefix);
    // a value no longer than what the rule keeps would be shown whole: hide half of it instead
    if (prefix + suffix >= cps.length && cps.length > 0) {
      prefix = cps.length / 4;
      suffix = 0;
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < cps.length; i++) {
      out.appendCodePoint(i < prefix || i >= cps.length - suffix ? cps[i] : '*');
    }
    return out.toString();
  }
}
