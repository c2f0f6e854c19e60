package org.govshare.objection;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.govshare.audit.AuditOf;

/** Cross-check runs, their copies' progress, and the comparisons themselves, done in the database chunk by chunk. */
public interface CrossCheckStore {
  /** What one chunk of a copy compared: {@code samples} at most as many as asked for, keys as stored. */
  record Chunk(long scanned, long compared, long mismatches, String lastKey, JsonArray samples) {}

  /** The objections filed from one copy's mismatches. */
  record Filing(String crosscheck, String copy, String item, String consumer, String provider, String evidence, String filedBy,
      OffsetDateTime filedAt, OffsetDateTime answerDue, int limit) {}

  /** Inserts a RUNNING check with its copies; 409 when the element has a running check already. */
  Future<CrossCheck> insert(CrossCheck check, AuditOf<CrossCheck> audit);

  Future<Optional<CrossCheck>> crosscheck(String id);

  /**
   * Compares up to {@code rows} records of {@code copy} after {@code afterKey} (in key order) with
   * the source's records of the same key; returns at most {@code samples} mismatches.
   */
  Future<Chunk> compare(String source, String sourceItem, String copy, String copyItem, String afterKey, int rows, int samples);

  /** Adds a chunk's counts to a copy (and renews the check's heartbeat); {@code done}: the copy is finished. */
  Future<Void> progress(String id, String copy, Chunk chunk, JsonArray samples, boolean done);

  Future<Void> copyStatus(String id, String copy, String status);

  /** Ends a RUNNING check as DONE or FAILED. */
  Future<Optional<CrossCheck>> finish(String id, CrossCheck.Status status, String failure, Instant at, AuditOf<CrossCheck> audit);

  /** Fails RUNNING checks whose heartbeat is older than {@code staleBefore}: their instance stopped. */
  Future<List<CrossCheck>> failStale(Instant staleBefore, Instant at, AuditOf<List<CrossCheck>> audit);

  /** Files objections against up to {@code limit} current mismatches of one copy that have no open objection. */
  Future<List<Objection>> fileFromMismatches(String source, String sourceItem, Filing filing, AuditOf<List<Objection>> audit);
}
