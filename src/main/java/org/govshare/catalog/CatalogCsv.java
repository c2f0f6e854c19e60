package org.govshare.catalog;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/**
 * A department's catalogue as the compilation guide's table: one row per data item, the resource's
 * columns repeated on each, Chinese headers in the guide's order, RFC 4180 quoting and CRLF.
 * The byte order mark makes Excel read the file as UTF-8; cells that would start a formula are
 * neutralised.
 */
public final class CatalogCsv {
  public static final String BOM = "\uFEFF";
  public static final List<String> HEADERS = List.of("信息资源分类", "信息资源名称", "信息资源代码", "信息资源提供方", "信息资源摘要",
      "信息资源格式", "信息项名称", "数据类型", "数据长度", "共享类型", "共享条件", "共享方式", "是否向社会开放", "开放条件", "更新周期",
      "发布日期", "关联资源代码");

  private CatalogCsv() {}

  public static String header() {
    return BOM + line(HEADERS);
  }

  public static String rows(List<CatalogRecord> records, Map<String, String> departmentNames) {
    StringBuilder sb = new StringBuilder();
    for (CatalogRecord r : records) {
      JsonObject e = r.entry();
      String category = Vocabulary.label(Vocabulary.CATEGORIES, e.getString("category"));
      String subject = e.getString("subject");
      String classification = subject == null ? category : category + "/" + Vocabulary.label(Vocabulary.subjectsOf(e.getString("category")), subject);
      JsonObject format = e.getJsonObject("format", new JsonObject());
      String formatText = Vocabulary.label(Vocabulary.FORMAT_CLASSES, format.getString("class"))
          + (format.getString("subtype") == null ? "" : "/" + format.getString("subtype"));
      String provider = departmentNames.getOrDefault(r.provider(), r.provider());
      JsonArray related = e.getJsonArray("relatedResources", new JsonArray());
      StringBuilder relatedText = new StringBuilder();
      for (int i = 0; i < related.size(); i++) {
        relatedText.append(i == 0 ? "" : ";").append(related.getString(i));
      }
      JsonArray items = e.getJsonArray("items", new JsonArray());
      for (int i = 0; i < items.size(); i++) {
        JsonObject item = items.getJsonObject(i);
        String share = item.getString("shareType") != null ? item.getString("shareType") : e.getString("shareType");
        sb.append(line(List.of(
            classification,
            e.getString("name"),
            r.code(),
            provider,
            e.getString("summary"),
            formatText,
            item.getString("name"),
            item.getString("dataType"),
            item.getInteger("length") == null ? "" : item.getInteger("length").toString(),
            Vocabulary.label(Vocabulary.SHARE_TYPES, share),
            condition(e, item, share),
            Vocabulary.label(Vocabulary.SHARE_METHODS, e.getString("shareMethod")),
            Vocabulary.label(Vocabulary.OPEN_TYPES, e.getString("openType")),
            text(e.getString("openCondition")),
            Vocabulary.label(Vocabulary.UPDATE_PERIODS, e.getString("updatePeriod")),
            text(e.getString("publishDate")),
            relatedText.toString())));
      }
    }
    return sb.toString();
  }

  /** The condition column carries the legal basis for what is withheld and the condition for what is conditional. */
  private static String condition(JsonObject e, JsonObject item, String share) {
    return switch (share) {
      case "NOT_SHARED" -> text(item.getString("notSharedBasis") != null ? item.getString("notSharedBasis") : e.getString("notSharedBasis"));
      case "CONDITIONAL" -> text(e.getString("shareCondition"));
      default -> "";
    };
  }

  static String line(List<String> cells) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append(quote(cells.get(i)));
    }
    return sb.append("\r\n").toString();
  }

  static String quote(String raw) {
    if (raw == null) {
      return "";
    }
    String cell = neutralised(raw);
    if (cell.indexOf(',') < 0 && cell.indexOf('"') < 0 && cell.indexOf('\n') < 0 && cell.indexOf('\r') < 0) {
      return cell;
    }
    return '"' + cell.replace("\"", "\"\"") + '"';
  }

  /**
   * A cell a spreadsheet would read as a formula (=, +, -, @, or a leading tab or CR that hides one)
   * gets a leading apostrophe, so Excel shows it as text and never evaluates it (CSV injection).
   */
  static String neutralised(String cell) {
    if (cell.isEmpty()) {
      return cell;
    }
    char first = cell.charAt(0);
    return first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r' ? "'" + cell : cell;
  }

  private static String text(String s) {
    return s == null ? "" : s;
  }
}
