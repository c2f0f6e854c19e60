package org.govshare.access;

import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.govshare.kernel.AuditEntry;

/** The hosted records, their change log and per-resource sequence. */
public interface RecordStore {
  /** One record to write: its key and its checked values as JSON text. */
  record Write(String key, String json) {}

  /** Sequence numbers given to one committed batch, first to last. */
  record SeqRange(long first, long last) {}

  /**
   * Upserts the rows (distinct keys) in one transaction that also takes their sequence numbers,
   * appends them to the change log and writes the batch's audit record.
   */
  Future<SeqRange> upsert(String resource, List<Write> rows, Function<SeqRange, AuditEntry> audit);

  /** Deletes a record with its change log row and audit record; empty when there was none. */
  Future<Optional<Long>> delete(String resource, String key, Function<Long, AuditEntry> audit);

  Future<List<StoredRecord>> find(String resource, List<String> keys);
}
