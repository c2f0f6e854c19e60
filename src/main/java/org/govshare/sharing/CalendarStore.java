package org.govshare.sharing;

import io.vertx.core.Future;
import java.util.List;

public interface CalendarStore {

  record StoredYear(YearArrangement arrangement, String setBy, java.time.OffsetDateTime updatedAt, long changeSeq) {}

  /** Years set over the API whose change_seq is above {@code afterSeq}, oldest change first. */
  Future<List<StoredYear>> changedAfter(long afterSeq);

  /** Replaces the whole year; the audit records commit with it. */
  Future<StoredYear> put(YearArrangement arrangement, String setBy, org.govshare.audit.AuditOf<StoredYear> audit);
}
