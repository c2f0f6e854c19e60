package org.govshare.supervision;

import io.vertx.core.json.JsonObject;
import org.govshare.kernel.AuditAction;
import org.govshare.platform.Problem;
import org.govshare.platform.http.Api;
import org.govshare.platform.http.ApiRequest;
import org.govshare.platform.http.Reply;
import org.govshare.platform.http.Routes;

public final class SupervisionRoutes implements Routes {
  private final SupervisionService supervision;

  public SupervisionRoutes(SupervisionService supervision) {
    this.supervision = supervision;
  }

  @Override
  public void mount(Api api) {
    api.on("getStatistics", AuditAction.STATISTICS_READ, req -> supervision.statistics(req.caller(),
        req.query("department").orElseThrow(() -> Problem.invalid("department", "is required")), year(req.query("year").orElse(null)))
        .map(Reply::ok));
    api.on("submitReport", AuditAction.REPORT_SUBMIT, req -> {
      JsonObject body = req.body();
      return supervision.submitReport(req.caller(), body.getInteger("year"), body.getString("narrative"))
          .map(r -> Reply.created(r.toJson()).header("Location", "/api/v1/reports/" + r.department() + "/" + r.year()));
    });
    api.on("listReports", AuditAction.REPORT_READ, req -> supervision.listReports(req.caller(), year(req.query("year").orElse(null)))
        .map(Reply::ok));
    api.on("getReport", AuditAction.REPORT_READ, req -> {
      String format = format(req.header("Accept"));
      return supervision.report(req.caller(), req.path("department"), year(req.path("year")), format).map(view -> switch (format) {
        case "csv" -> Reply.text(200, "text/csv; charset=utf-8", ReportExport.csv(view.report()))
            .header("Content-Disposition", "attachment; filename=\"report-" + safe(view.report().department()) + "-"
                + view.report().year() + ".csv\"");
        case "html" -> Reply.text(200, "text/html; charset=utf-8", ReportExport.html(view.report(), view.departmentName()))
            .header("Content-Security-Policy", ReportExport.CSP).header("X-Content-Type-Options", "nosniff");
        default -> Reply.ok(view.report().toJson());
      });
    });
    api.on("listEvaluations", AuditAction.EVALUATION_READ, req -> supervision.evaluations(req.caller(), year(req.path("year")))
        .map(Reply::ok));
    api.on("getEvaluation", AuditAction.EVALUATION_READ, req -> supervision.evaluation(req.caller(), year(req.path("year")),
        req.path("department")).map(Reply::ok));
    api.on("getChart", AuditAction.CHART_READ, req -> {
      Charts.Format format = "png".equals(req.query("format").orElse("svg")) ? Charts.Format.PNG : Charts.Format.SVG;
      return supervision.chart(req.caller(), req.path("name"), year(req.query("year").orElse(null)), format)
          .map(c -> Reply.bytes(200, c.format().mediaType(), c.image()).header("X-Content-Type-Options", "nosniff")
              // an SVG opened directly is a document: it may run nothing
              .header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'"));
    });
  }

  /** The first of CSV, HTML, JSON the Accept header names (JSON when it names none of them). */
  static String format(String accept) {
    if (accept == null) {
      return "json";
    }
    int csv = accept.indexOf("text/csv");
    int html = accept.indexOf("text/html");
    int json = accept.indexOf("application/json");
    int best = Integer.MAX_VALUE;
    String chosen = "json";
    if (csv >= 0 && csv < best) {
      best = csv;
      chosen = "csv";
    }
    if (html >= 0 && html < best) {
      best = html;
      chosen = "html";
    }
    if (json >= 0 && json < best) {
      chosen = "json";
    }
    return chosen;
  }

  static int year(String raw) {
    if (raw == null || raw.isEmpty()) {
      throw Problem.invalid("year", "is required");
    }
    if (!raw.matches("[0-9]{4}")) {
      throw Problem.invalid("year", "must be a year YYYY");
    }
    return Integer.parseInt(raw);
  }

  private static String safe(String s) {
    return s.replaceAll("[^A-Za-z0-9_-]", "_");
  }
}
