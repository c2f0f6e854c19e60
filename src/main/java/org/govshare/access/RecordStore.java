package org.govshare.access;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
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

  /** The version and change-log sequence number an in-place fix wrote. */
  record Fixed(long seq, int version) {}

  /**
   * Sets one item of one record to {@code jsonValue} on {@code conn}, inside the caller's
   * transaction: takes a sequence number, writes the next version and its change-log row and the
   * audit record. Empty (and nothing written but the sequence, which the caller's rollback returns)
   * when the record does not exist.
   */
  Future<Optional<Fixed>> fix(SqlConnection conn, String resource, String key, String item, String jsonValue,
      Function<Long, AuditEntry> audit);

  /**
   * Told after a transaction that wrote {@code keys} of {@code resource} through {@link #fix} committed,
   * before the write is answered (a record cache drops them here).
   */
  default Future<Void> committed(String resource, List<String> keys) {
    return Future.succeededFuture();
  }
}
