package org.govshare.supervision;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import org.govshare.platform.Times;

/** A department's annual report on its sharing (notice rule 10), with the statistics as they stood at submission. */
public record Report(String department, int year, String narrative, Instant submittedAt, String submittedBy, boolean late,
    JsonObject statistics) {

  /** The report on year Y is due on 5 January of Y+1 in the platform's zone: on time until that day ends. */
  public static Instant dueBy(int year, ZoneId zone) {
    return LocalDate.of(year + 1, 1, 6).atStartOfDay(zone).toInstant();
  }

  public static boolean lateAt(int year, ZoneId zone, Instant submittedAt) {
    return !submittedAt.isBefore(dueBy(year, zone));
  }

  public JsonObject summary() {
    return new JsonObject().put("department", department).put("year", year).put("submittedAt", Times.format(submittedAt))
        .put("submittedBy", submittedBy).put("late", late);
  }

  public JsonObject toJson() {
    return summary().put("narrative", narrative).put("statistics", statistics);
  }
}
