package org.govshare.access;

import io.vertx.core.Future;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.govshare.audit.AuditOf;

/** The rate limits the bureau set per department; a department without one has the configured default. */
public interface RateLimitStore {
  record Configured(String department, int requestsPerSecond, int burst, String setBy, OffsetDateTime setAt) {}

  /** A limit set, with the one it replaced (empty: the department had the default). */
  record Change(Optional<Configured> before, Configured after) {}

  /** A department's limit changed: every instance drops what it holds of it. */
  record Changed(String department, long changeSeq) {}

  Future<Optional<Configured>> configured(String department);

  /** Sets the limit and writes the audit records in the same transaction. */
  Future<Change> set(String department, int requestsPerSecond, int burst, String by, Instant at, AuditOf<Change> audit);

  Future<List<Changed>> changesAfter(long changeSeq);
}
