package org.govshare.sharing;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.govshare.catalog.SharedItem;
import org.govshare.catalog.SharedResource;
import org.govshare.platform.Problem;
import org.govshare.platform.Problem.FieldError;

/** The sharing rules of the notice (rules 1 and 6) as pure functions over catalogue entries; no I/O. */
public final class SharingRules {
  public static final String UNCONDITIONAL = "UNCONDITIONAL";
  public static final String CONDITIONAL = "CONDITIONAL";
  public static final String NOT_SHARED = "NOT_SHARED";
  /**
   * A reason, statement or note must say something concrete. A Chinese character carries about
   * what an English word does, so text is weighed: a CJK character counts {@value #CJK_WEIGHT}
   * letters, and {@value #MIN_REASON_WEIGHT} are needed (4 characters, or 10 letters or digits).
   */
  public static final int MIN_REASON_WEIGHT = 10;
  static final double CJK_WEIGHT = 2.5;
  /** What people type when they have nothing to say; compared after dropping case, spaces and punctuation. */
  private static final Set<String> PLACEHOLDERS = Set.of("无", "没有", "暂无", "略", "同上", "同意", "不同意", "拒绝", "驳回", "不予同意",
      "无理由", "其他", "其它", "测试", "na", "n/a", "none", "nil", "null", "test", "testing", "tbd", "todo", "xxx", "asdf", "qwerty",
      "abc", "abcdefg", "abcdefghij", "lorem ipsum", "placeholder", "reason", "no reason", "see above", "rejected", "denied");
  public static final String CONCRETE_TEXT =
      "must say something concrete: at least 4 Chinese characters or 10 letters (one Chinese character counts 2.5 letters);"
          + " placeholders (无, n/a, test, xxx …), repeated characters and punctuation alone do not count";

  private SharingRules() {}

  /** What an application asks for: the conditional items it needs a decision on, and those anyone may read already. */
  public record Requested(List<String> conditional, List<String> readableDirectly) {}

  /**
   * Checks an application against the catalogue entry, in the order a consumer can act on: the
   * resource exists and is published, is another department's, may be shared at all, the items
   * exist, none is withheld, and at least one needs a decision.
   */
  public static Requested application(Optional<SharedResource> found, String code, String consumer, List<String> items) {
    SharedResource resource = found.filter(r -> !"DRAFT".equals(r.status()))
        .orElseThrow(() -> Problem.notFound("resource " + code + " is not in the published catalogue"));
    if (!resource.published()) {
      throw Problem.rule("resource", code + " is " + resource.status() + " and can no longer be applied for");
    }
    if (resource.provider().equals(consumer)) {
      throw Problem.rule("resource", code + " is provided by your own department " + consumer + "; it needs no application");
    }
    if (NOT_SHARED.equals(resource.shareType())) {
      throw Problem.forbidden(code + " is not shared" + basis(resource.notSharedBasis()))
          .with("resource", code).with("notSharedBasis", resource.notSharedBasis());
    }
    List<FieldError> unknown = new ArrayList<>();
    Set<String> seen = new LinkedHashSet<>();
    for (int i = 0; i < items.size(); i++) {
      String key = items.get(i);
      if (!seen.add(key)) {
        unknown.add(new FieldError("items[" + i + "]", "'" + key + "' is listed twice"));
      } else if (resource.item(key).isEmpty()) {
        unknown.add(new FieldError("items[" + i + "]", "'" + key + "' is not a data item of " + code));
      }
    }
    if (!unknown.isEmpty()) {
      throw Problem.rule(unknown);
    }
    List<String> conditional = new ArrayList<>();
    List<String> direct = new ArrayList<>();
    for (String key : seen) {
      SharedItem item = resource.item(key).orElseThrow();
      switch (item.shareType() != null ? item.shareType() : resource.shareType()) {
        case NOT_SHARED -> {
          String why = item.notSharedBasis() != null ? item.notSharedBasis() : resource.notSharedBasis();
          throw Problem.forbidden("data item " + key + " of " + code + " is not shared" + basis(why))
              .with("resource", code).with("item", key).with("notSharedBasis", why);
        }
        case UNCONDITIONAL -> direct.add(key);
        default -> conditional.add(key);
      }
    }
    if (conditional.isEmpty()) {
      String what = UNCONDITIONAL.equals(resource.shareType()) ? code + " is shared unconditionally"
          : "the requested items " + direct + " of " + code + " are shared unconditionally";
      throw Problem.conflict(what + ": every department can read them directly, no application is needed")
          .with("resource", code).with("readableDirectly", new io.vertx.core.json.JsonArray(direct));
    }
    return new Requested(List.copyOf(conditional), List.copyOf(direct));
  }

  /** The items an approval grants: all requested ones by default, or a non-empty subset of them. */
  public static List<String> approvedItems(Application application, List<String> chosen) {
    if (chosen == null) {
      return application.items();
    }
    List<FieldError> errors = new ArrayList<>();
    Set<String> seen = new LinkedHashSet<>();
    for (int i = 0; i < chosen.size(); i++) {
      String key = chosen.get(i);
      if (!application.items().contains(key)) {
        errors.add(new FieldError("items[" + i + "]", "'" + key + "' was not requested; requested " + application.items()));
      } else if (!seen.add(key)) {
        errors.add(new FieldError("items[" + i + "]", "'" + key + "' is listed twice"));
      }
    }
    if (seen.isEmpty() && errors.isEmpty()) {
      errors.add(new FieldError("items", "an approval grants at least one item; reject the application instead"));
    }
    if (!errors.isEmpty()) {
      throw Problem.rule(errors);
    }
    return List.copyOf(seen);
  }

  /**
   * The items a grant serves unmasked: none by default; otherwise each one listed once, among the
   * {@code granted} items and marked {@code sensitive} in the catalogue (other items are never masked,
   * so naming them would promise nothing).
   */
  public static List<String> clearItems(List<String> granted, List<String> chosen, SharedResource resource) {
    if (chosen == null) {
      return List.of();
    }
    List<FieldError> errors = new ArrayList<>();
    Set<String> seen = new LinkedHashSet<>();
    for (int i = 0; i < chosen.size(); i++) {
      String key = chosen.get(i);
      Optional<SharedItem> item = resource.item(key);
      if (!seen.add(key)) {
        errors.add(new FieldError("clearItems[" + i + "]", "'" + key + "' is listed twice"));
      } else if (item.isEmpty()) {
        errors.add(new FieldError("clearItems[" + i + "]", "'" + key + "' is not a data item of " + resource.code()));
      } else if (!granted.contains(key)) {
        errors.add(new FieldError("clearItems[" + i + "]", "'" + key + "' is not among the items this decision grants " + granted));
      } else if (!item.get().sensitive()) {
        errors.add(new FieldError("clearItems[" + i + "]", "'" + key + "' is not a sensitive item of " + resource.code()
            + "; only sensitive items are masked, so only they can be granted clear"));
      }
    }
    if (!errors.isEmpty()) {
      throw Problem.rule(errors);
    }
    return List.copyOf(seen);
  }

  /** An end date must lie in the future and, for an approval, not beyond what the consumer asked for. */
  public static void validUntil(String field, LocalDate validUntil, LocalDate today, LocalDate requested) {
    if (validUntil == null) {
      return;
    }
    if (!validUntil.isAfter(today)) {
      throw Problem.rule(field, "must be after today (" + today + ")");
    }
    if (requested != null && validUntil.isAfter(requested)) {
      throw Problem.rule(field, "must not be later than the " + requested + " the consumer applied for");
    }
  }

  /** A reason, statement or note judged by content (see {@link #MIN_REASON_WEIGHT}); returns it stripped. */
  public static String reason(String field, String text) {
    String trimmed = text == null ? "" : text.strip();
    if (!concrete(trimmed)) {
      throw Problem.rule(field, CONCRETE_TEXT);
    }
    return trimmed;
  }

  /** True when the text has enough letters or characters, some of them letters, and is no placeholder or repetition. */
  static boolean concrete(String text) {
    int[] meaningful = text.codePoints().filter(Character::isLetterOrDigit).map(Character::toLowerCase).toArray();
    if (meaningful.length == 0 || java.util.Arrays.stream(meaningful).noneMatch(Character::isLetter)) {
      return false;
    }
    double weight = 0;
    for (int c : meaningful) {
      weight += cjk(c) ? CJK_WEIGHT : 1;
    }
    if (weight < MIN_REASON_WEIGHT) {
      return false;
    }
    String bare = new String(meaningful, 0, meaningful.length);
    String words = text.toLowerCase(java.util.Locale.ROOT).replaceAll("[\\p{P}\\p{S}\\s]+", " ").strip();
    return !PLACEHOLDERS.contains(bare) && !PLACEHOLDERS.contains(words) && !repeats(meaningful);
  }

  private static boolean cjk(int c) {
    Character.UnicodeScript script = Character.UnicodeScript.of(c);
    return script == Character.UnicodeScript.HAN || script == Character.UnicodeScript.HIRAGANA
        || script == Character.UnicodeScript.KATAKANA || script == Character.UnicodeScript.HANGUL;
  }

  /** "xxxxxxxxxx", "测试测试测试", "testtesttest": a unit of up to four characters said over and over. */
  private static boolean repeats(int[] s) {
    for (int period = 1; period <= 4 && period * 2 <= s.length; period++) {
      boolean periodic = true;
      for (int i = period; i < s.length && periodic; i++) {
        periodic = s[i] == s[i - period];
      }
      if (periodic) {
        return true;
      }
    }
    return false;
  }

  private static String basis(String basis) {
    return basis == null || basis.isBlank() ? "" : "; basis: " + basis;
  }
}
