package org.govshare.platform;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The one set of rules for text a client sends, wherever it arrives (JSON string, query value,
 * path segment, form value, credential): strict UTF-8, no lone surrogates, no control characters
 * (free text may keep tab and line breaks), no bidirectional overrides or isolates, and a
 * non-empty value shows at least one visible character. A break is a 400 naming the field (422
 * for text that is well-formed but shows nothing).
 * Lengths are counted in code points, as JSON Schema's {@code maxLength} is.
 */
public final class Text {
  private Text() {}

  /** Decodes UTF-8, refusing malformed sequences instead of replacing them. */
  public static String utf8(String field, byte[] bytes) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw Problem.invalid(field, "is not valid UTF-8");
    }
  }

  /**
   * Percent-decoding of a query or form component ({@code +} is a space), strict: a broken escape
   * or bytes that are not UTF-8 are refused, never replaced.
   */
  public static String percentDecoded(String field, String raw) {
    return percentDecoded(field, raw, true);
  }

  /** {@code plusIsSpace}: true in queries and forms, false in a path. */
  public static String percentDecoded(String field, String raw, boolean plusIsSpace) {
    if (raw.indexOf('%') < 0 && (!plusIsSpace || raw.indexOf('+') < 0)) {
      return raw;
    }
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '+' && plusIsSpace) {
        out.write(' ');
      } else if (c != '%') {
        byte[] plain = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        out.write(plain, 0, plain.length);
      } else {
        int hi = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 1), 16) : -1;
        int lo = hi < 0 ? -1 : Character.digit(raw.charAt(i + 2), 16);
        if (lo < 0) {
          throw Problem.invalid(field, "has a broken %-escape");
        }
        out.write(hi * 16 + lo);
        i += 2;
      }
    }
    return utf8(field, out.toByteArray());
  }

  /** A text field of a JSON body: line breaks and tabs allowed; a non-empty value must show something. */
  public static String check(String field, String value) {
    return check(field, value, true, true);
  }

  /** One line as sent (query and path values, form values, credentials): no control characters at all. */
  public static String checkLine(String field, String value) {
    return check(field, value, false, false);
  }

  private static String check(String field, String value, boolean multiLine, boolean mustShow) {
    if (value == null) {
      return null;
    }
    boolean visible = false;
    for (int i = 0; i < value.length(); ) {
      int cp = value.codePointAt(i);
      if (cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE) {
        throw Problem.invalid(field, "is not valid Unicode (an unpaired surrogate)");
      }
      if (isControl(cp) && !(multiLine && (cp == '\t' || cp == '\n' || cp == '\r'))) {
        throw Problem.invalid(field, String.format("contains the control character U+%04X", cp));
      }
      if (isBidiControl(cp)) {
        throw Problem.invalid(field, String.format("contains the bidirectional formatting character U+%04X", cp));
      }
      visible |= isVisible(cp);
      i += Character.charCount(cp);
    }
    if (mustShow && !value.isEmpty() && !visible) {
      throw Problem.rule(field, "has no visible character");
    }
    return value;
  }

  /** Every string and member name of a parsed JSON body; {@code path} names the field in errors. */
  public static void checkJson(String path, Object value) {
    if (value instanceof String s) {
      check(path, s);
    } else if (value instanceof JsonObject o) {
      for (Map.Entry<String, Object> e : o) {
        String field = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
        checkLine(path.isEmpty() ? "body" : path, e.getKey());
        checkJson(field, e.getValue());
      }
    } else if (value instanceof JsonArray a) {
      for (int i = 0; i < a.size(); i++) {
        checkJson(path + "[" + i + "]", a.getValue(i));
      }
    }
  }

  /** Characters, as the contract counts them (code points, not UTF-16 units). */
  public static int length(String value) {
    return value.codePointCount(0, value.length());
  }

  static boolean isControl(int cp) {
    return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F);
  }

  /** Embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069): they reorder what a reader sees. */
  static boolean isBidiControl(int cp) {
    return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
  }

  static boolean isVisible(int cp) {
    if (Character.isWhitespace(cp) || Character.isSpaceChar(cp) || isControl(cp)) {
      return false;
    }
    int type = Character.getType(cp);
    if (type == Character.FORMAT || type == Character.UNASSIGNED || type == Character.NON_SPACING_MARK
        || type == Character.ENCLOSING_MARK) {
      return false;
    }
    // letters that render as nothing (Hangul fillers, braille blank) are a known way to fake a name
    return cp != 0x115F && cp != 0x1160 && cp != 0x3164 && cp != 0xFFA0 && cp != 0x2800;
  }
}
