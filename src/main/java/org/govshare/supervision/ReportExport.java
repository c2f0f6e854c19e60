package org.govshare.supervision;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * A report as a spreadsheet (CSV: one row per figure) and as a page that prints on A4. Both carry
 * text a department wrote: CSV cells that a spreadsheet would run as a formula are neutralised, HTML
 * is escaped and the page may load nothing (the reply's Content-Security-Policy).
 */
public final class ReportExport {
  public static final String BOM = "\uFEFF";
  public static final String CSP = "default-src 'none'; style-src 'unsafe-inline'";

  private ReportExport() {}

  public static String csv(Report r) {
    StringWriter out = new StringWriter();
    out.write(BOM); // Excel reads UTF-8 only with it
    try (CSVPrinter csv = new CSVPrinter(out, CSVFormat.RFC4180.builder().setHeader("section", "figure", "value").get())) {
      csv.printRecord(cells("report", "department", r.department()));
      csv.printRecord(cells("report", "year", r.year()));
      csv.printRecord(cells("report", "submittedAt", r.summary().getString("submittedAt")));
      csv.printRecord(cells("report", "submittedBy", r.submittedBy()));
      csv.printRecord(cells("report", "late", r.late()));
      csv.printRecord(cells("report", "narrative", r.narrative()));
      for (String[] row : flatten(r.statistics())) {
        csv.printRecord(cells(row[0], row[1], row[2]));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  private static List<String> cells(Object... values) {
    List<String> out = new ArrayList<>();
    for (Object v : values) {
      out.add(cell(v));
    }
    return out;
  }

  /** A cell a spreadsheet would read as a formula (= + - @, or a tab or CR before one) starts with an apostrophe instead. */
  static String cell(Object v) {
    if (v == null) {
      return "";
    }
    if (v instanceof Number || v instanceof Boolean) {
      return v.toString();
    }
    String s = v.toString();
    if (!s.isEmpty() && "=+-@\t\r".indexOf(s.charAt(0)) >= 0) {
      return "'" + s;
    }
    return s;
  }

  /** Section (top-level key) and dotted path of every figure of the statistics, in their order. */
  static List<String[]> flatten(JsonObject statistics) {
    List<String[]> rows = new ArrayList<>();
    for (Map.Entry<String, Object> e : statistics) {
      if (e.getValue() instanceof JsonObject || e.getValue() instanceof JsonArray) {
        walk(e.getKey(), "", e.getValue(), rows);
      }
    }
    return rows;
  }

  private static void walk(String section, String path, Object value, List<String[]> rows) {
    if (value instanceof JsonObject o) {
      for (Map.Entry<String, Object> e : o) {
        walk(section, path.isEmpty() ? e.getKey() : path + "." + e.getKey(), e.getValue(), rows);
      }
    } else if (value instanceof JsonArray a) {
      for (int i = 0; i < a.size(); i++) {
        walk(section, path + "[" + i + "]", a.getValue(i), rows);
      }
    } else {
      rows.add(new String[] {section, path, value == null ? "" : value.toString()});
    }
  }

  public static String html(Report r, String departmentName) {
    StringBuilder h = new StringBuilder(8192);
    String title = "年度政务信息资源共享工作报告 " + r.year() + " — " + departmentName + " (" + r.department() + ")";
    h.append("<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>").append(escape(title)).append("</title>\n")
        .append("<style>@page{size:A4;margin:18mm}body{font-family:serif;max-width:180mm;margin:auto;line-height:1.5}")
        .append("h1{font-size:18pt;text-align:center}h2{font-size:13pt;border-bottom:1px solid #000;page-break-after:avoid}")
        .append("table{border-collapse:collapse;width:100%;page-break-inside:avoid;margin-bottom:1em}")
        .append("td,th{border:1px solid #444;padding:2pt 6pt;text-align:left;font-size:10pt}")
        .append(".narrative{white-space:pre-wrap}.late{font-weight:bold}@media print{a{color:inherit}}</style></head><body>\n")
        .append("<h1>").append(escape(title)).append("</h1>\n<table>")
        .append(row("department", r.department() + " " + departmentName))
        .append(row("year", String.valueOf(r.year())))
        .append(row("submittedAt", r.summary().getString("submittedAt")))
        .append(row("submittedBy", r.submittedBy()))
        .append(row("late", r.late() ? "yes — after 5 January" : "no"))
        .append("</table>\n<h2>Narrative</h2>\n<div class=\"narrative\">").append(escape(r.narrative())).append("</div>\n");
    String section = null;
    for (String[] figure : flatten(r.statistics())) {
      if (!figure[0].equals(section)) {
        h.append(section == null ? "" : "</table>\n").append("<h2>").append(escape(figure[0])).append("</h2>\n<table>");
        section = figure[0];
      }
      h.append(row(figure[1], figure[2]));
    }
    if (section != null) {
      h.append("</table>\n");
    }
    return h.append("</body></html>\n").toString();
  }

  private static String row(String name, String value) {
    return "<tr><th>" + escape(name) + "</th><td>" + escape(value) + "</td></tr>";
  }

  /** The five characters that can end a text node or an attribute value. */
  static String escape(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }
}
