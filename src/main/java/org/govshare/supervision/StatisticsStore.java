package org.govshare.supervision;

import io.vertx.core.Future;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The read model supervision counts from: the other capabilities' tables and the audit log. */
public interface StatisticsStore {

  record DepartmentInfo(String code, String name, String kind, Instant createdAt) {}

  record DayCalls(LocalDate day, long served, long refused) {}

  Future<Optional<DepartmentInfo>> department(String code);

  /** Departments that answer to the bureau for the year: every one but the bureau, created before the year ended. */
  Future<List<String>> accountable(YearWindow year);

  /** One department's statistics; {@code now} decides which applications are overdue. */
  Future<Statistics> statistics(String department, YearWindow year, Instant now);

  Future<Statistics.Freshness> freshness(String department, YearWindow year);

  Future<List<DayCalls>> callsPerDay(YearWindow year);

  /** Per provider department: applications received in the year that are overdue, and objections flagged overdue in it. */
  Future<Map<String, long[]>> overdueByDepartment(YearWindow year, Instant now);
}
