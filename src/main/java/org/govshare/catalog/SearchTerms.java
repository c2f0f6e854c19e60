package org.govshare.catalog;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Chinese has no spaces, so the catalogue indexes characters instead of words: every character
 * and every pair of adjacent characters of an entry's text is a "gram" in a GIN-indexed array.
 * A query of one character looks for that character; a longer one for all of its pairs, which
 * narrows the candidates; the exact substring is then checked on the text (ADR 0003).
 */
public final class SearchTerms {
  private SearchTerms() {}

  /** Name, summary and item names, lower-cased, one per line. */
  public static String text(JsonObject entry) {
    StringBuilder sb = new StringBuilder();
    sb.append(entry.getString("name", "")).append('\n').append(entry.getString("summary", ""));
    JsonArray items = entry.getJsonArray("items", new JsonArray());
    for (int i = 0; i < items.size(); i++) {
      sb.append('\n').append(items.getJsonObject(i).getString("name", ""));
    }
    return sb.toString().toLowerCase(Locale.ROOT);
  }

  public static String[] grams(String text) {
    Set<String> out = new LinkedHashSet<>();
    int[] cps = text.codePoints().toArray();
    for (int i = 0; i < cps.length; i++) {
      if (Character.isWhitespace(cps[i])) {
        continue;
      }
      out.add(new String(cps, i, 1));
      if (i + 1 < cps.length && !Character.isWhitespace(cps[i + 1])) {
        out.add(new String(cps, i, 2));
      }
    }
    return out.toArray(String[]::new);
  }

  /** The query's words (split on white space), lower-cased; each must occur in the text. */
  public static List<String> words(String q) {
    List<String> words = new ArrayList<>();
    for (String w : q.toLowerCase(Locale.ROOT).trim().split("\\s+")) {
      if (!w.isEmpty()) {
        words.add(w);
      }
    }
    return words;
  }

  /** {@code %word%} for LIKE, with the word's own {@code %}, {@code _} and {@code \} taken literally. */
  public static String likePattern(String word) {
    return "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
  }

  /** The grams every match must have: each word's single character, or each word's pairs. */
  public static String[] queryGrams(List<String> words) {
    Set<String> out = new LinkedHashSet<>();
    for (String w : words) {
      int[] cps = w.codePoints().toArray();
      if (cps.length == 1) {
        out.add(w);
      }
      for (int i = 0; i + 1 < cps.length; i++) {
        out.add(new String(cps, i, 2));
      }
    }
    return out.toArray(String[]::new);
  }
}
