package org.govshare.supervision;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/**
 * One department's year as the supervision counts it (docs/supervision.md defines every figure).
 * Rates are 0–1 and null where nothing was due; working-day means are rounded to two decimals.
 */
public record Statistics(String department, int year, String asOf, Catalogue catalogue, Provision provision, Use use,
    Applications applications, Objections objections) {

  /** Resources in force at the end of the year (or now, for the current year), by share type. */
  public record Catalogue(Map<String, Long> resourcesByShareType, long resources, long items, long records) {
    JsonObject toJson() {
      JsonObject byType = new JsonObject();
      resourcesByShareType.forEach(byType::put);
      return new JsonObject().put("resources", resources).put("resourcesByShareType", byType).put("items", items).put("records", records);
    }
  }

  public record ResourceFreshness(String resource, String updatePeriod, long duePeriods, long onTime) {
    JsonObject toJson() {
      return new JsonObject().put("resource", resource).put("updatePeriod", updatePeriod).put("duePeriods", duePeriods)
          .put("onTime", onTime);
    }
  }

  public record Freshness(long duePeriods, long onTime, List<ResourceFreshness> resources) {
    public Double rate() {
      return duePeriods == 0 ? null : round4((double) onTime / duePeriods);
    }

    JsonObject toJson() {
      JsonArray list = new JsonArray();
      resources.forEach(r -> list.add(r.toJson()));
      return new JsonObject().put("duePeriods", duePeriods).put("onTime", onTime).put("rate", rate()).put("resources", list);
    }
  }

  /** Data calls (reads, lookups, verifications): answered with data, refused (4xx), failed (5xx). */
  public record Calls(long made, long served, long refused, long failed) {
    JsonObject toJson() {
      return new JsonObject().put("made", made).put("served", served).put("refused", refused).put("failed", failed);
    }
  }

  public record Provision(Freshness freshness, Calls calls) {
    JsonObject toJson() {
      return new JsonObject().put("freshness", freshness.toJson()).put("calls", calls.toJson());
    }
  }

  public record Use(Calls calls, long applicationsSubmitted) {
    JsonObject toJson() {
      return calls.toJson().put("applicationsSubmitted", applicationsSubmitted);
    }
  }

  public record WorkingDays(Double mean, Integer max) {
    JsonObject toJson() {
      return new JsonObject().put("mean", mean).put("max", max);
    }
  }

  public record Applications(long received, long approved, long rejected, long withdrawn, long pending, long overdue,
      WorkingDays decisionWorkingDays) {
    JsonObject toJson() {
      return new JsonObject().put("received", received).put("approved", approved).put("rejected", rejected)
          .put("withdrawn", withdrawn).put("pending", pending).put("overdue", overdue)
          .put("decisionWorkingDays", decisionWorkingDays.toJson());
    }
  }

  public record Objections(long filed, long received, long answered, long corrected, long confirmed, long overdue,
      WorkingDays answerWorkingDays) {
    JsonObject toJson() {
      return new JsonObject().put("filed", filed).put("received", received).put("answered", answered)
          .put("corrected", corrected).put("confirmed", confirmed).put("overdue", overdue)
          .put("answerWorkingDays", answerWorkingDays.toJson());
    }
  }

  public JsonObject toJson() {
    return new JsonObject().put("department", department).put("year", year).put("asOf", asOf)
        .put("catalogue", catalogue.toJson()).put("provision", provision.toJson()).put("use", use.toJson())
        .put("applications", applications.toJson()).put("objections", objections.toJson());
  }

  static double round4(double v) {
    return Math.round(v * 10_000) / 10_000.0;
  }
}
