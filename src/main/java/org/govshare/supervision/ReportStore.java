package org.govshare.supervision;

import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;
import org.govshare.audit.AuditOf;

public interface ReportStore {
  /** Empty when the department already reported on that year (nothing is written then). */
  Future<Optional<Report>> insert(Report report, AuditOf<Report> audit);

  Future<Optional<Report>> find(String department, int year);

  /** The year's reports, of one department or (empty) of all, by department. */
  Future<List<Report>> list(int year, Optional<String> department);
}
