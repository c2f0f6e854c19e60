package org.govshare.audit;

import org.govshare.kernel.Outcome;
import org.govshare.kernel.AuditAction;
import org.govshare.kernel.AuditEntry;
import org.govshare.kernel.Caller;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.ZoneId;
import java.util.List;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import org.govshare.audit.AuditStore.Filter;
import org.govshare.audit.AuditStore.Head;
import org.govshare.audit.AuditStore.Snapshot;
import org.govshare.kernel.Principal;
import org.govshare.kernel.Role;
import org.govshare.platform.Problem;
import org.govshare.platform.http.PageRequest;

/** Reading and verifying the audit log. Writing goes through {@link AuditWriter}. */
public final class AuditService {
  private static final int VERIFY_CHUNK = 5_000;

  private final Vertx vertx;
  private final AuditStore store;
  private final AuditWriter writer;
  private final ZoneId zone;

  public AuditService(Vertx vertx, AuditStore store, AuditWriter writer, ZoneId zone) {
    this.vertx = vertx;
    this.store = store;
    this.writer = writer;
    this.zone = zone;
  }

  public Future<JsonObject> list(Caller caller, Filter requested, PageRequest page) {
    Principal p = caller.principal();
    Filter filter = requested;
    if (!p.hasAny(Role.AUDITOR, Role.PLATFORM_ADMIN)) {
      if (!p.has(Role.DEPT_ADMIN)) {
        throw Problem.forbidden("reading the audit log needs AUDITOR, PLATFORM_ADMIN or DEPT_ADMIN");
      }
      if (requested.department().isPresent() && !requested.department().get().equals(p.department())) {
        throw Problem.forbidden("a department administrator reads only its own department's audit records");
      }
      filter = new Filter(Optional.of(p.department()), requested.action(), requested.resource(), requested.from(), requested.to(),
          requested.outcome(), requested.subject());
    }
    Optional<Long> before = page.first() ? Optional.empty() : Optional.of(page.longKey(1, 0));
    Filter used = filter;
    // changes committed before this request are in the outbox at worst: chain them first, so the list shows them
    return writer.catchUp().compose(v -> store.list(used, before, page.fetchSize())).map(rows -> {
      writer.append(AuditEntry.of(caller, AuditAction.AUDIT_READ, null, null, Outcome.OK, new JsonObject()
          .put("department", used.department().orElse(null)).put("action", used.action().orElse(null))
          .put("subject", used.subject().orElse(null)).put("returned", Math.min(rows.size(), page.limit()))));
      return page.page(rows, r -> r.toJson(zone), r -> new Object[] {r.seq()});
    });
  }

  record Progress(long lastSeq, String lastHash, long checked, JsonObject broken) {}

  public Future<JsonObject> verify(Caller caller) {
    if (!caller.principal().hasAny(Role.AUDITOR, Role.PLATFORM_ADMIN)) {
      throw Problem.forbidden("verifying the audit log needs AUDITOR or PLATFORM_ADMIN");
    }
    return verifyChain()
        .onSuccess(result -> writer.append(AuditEntry.of(caller, AuditAction.AUDIT_VERIFY, null, null, Outcome.OK, result.copy())));
  }

  /**
   * One consistent snapshot of the log, checked against the checkpoints kept outside the database.
   * The checkpoints are read first: each was written after its commit, so the snapshot holds it.
   */
  public Future<JsonObject> verifyChain() {
    AuditCheckpoint checkpoint = writer.checkpoint();
    return writer.catchUp()
        .compose(v -> checkpoint == null ? Future.succeededFuture(new TreeMap<Long, String>()) : checkpoint.read())
        .compose(marks -> store.inSnapshot(snapshot -> snapshot.head()
            .compose(head -> walk(snapshot, new Progress(0, AuditChain.GENESIS, 0, null), head.orElse(null), marks))));
  }

  private Future<JsonObject> walk(Snapshot snapshot, Progress progress, Head head, NavigableMap<Long, String> marks) {
    return snapshot.chunk(progress.lastSeq(), VERIFY_CHUNK)
        .compose(rows -> vertx.executeBlocking(() -> check(progress, rows, marks), false).compose(next -> {
          if (next.broken() != null) {
            return Future.succeededFuture(next.broken().put("ok", false).put("checked", next.checked()));
          }
          if (rows.size() == VERIFY_CHUNK) {
            return walk(snapshot, next, head, marks);
          }
          return Future.succeededFuture(finish(next, head, marks));
        }));
  }

  /** Pure: runs on a worker because hashing a large log takes a while. */
  static Progress check(Progress start, List<AuditRecord> rows) {
    return check(start, rows, new TreeMap<>());
  }

  static Progress check(Progress start, List<AuditRecord> rows, NavigableMap<Long, String> marks) {
    long expected = start.lastSeq() + 1;
    String prev = start.lastHash();
    long checked = start.checked();
    for (AuditRecord r : rows) {
      if (r.seq() > expected) {
        return broken(start, checked, expected, "MISSING", "record " + expected + " is missing (deleted)");
      }
      if (r.seq() < expected) {
        return broken(start, checked, r.seq(), "UNEXPECTED", "record " + r.seq() + " does not belong in the chain (inserted)");
      }
      if (!r.prevHash().equals(prev)) {
        return broken(start, checked, r.seq(), "CHAIN_BROKEN",
            "record " + r.seq() + " does not link to the record before it (a record was inserted, replaced or removed)");
      }
      if (!r.computedHash(prev).equals(r.hash())) {
        return broken(start, checked, r.seq(), "CONTENT_CHANGED", "record " + r.seq() + " was changed after it was written");
      }
      String anchored = marks.get(r.seq());
      if (anchored != null && !anchored.equals(r.hash())) {
        Long before = marks.lowerKey(r.seq());
        return broken(start, checked, r.seq(), "CHECKPOINT_MISMATCH", "record " + r.seq()
            + " does not match the checkpoint kept outside the database: the log was rewritten "
            + (before == null ? "at or before record " + r.seq() : "after record " + before + " (the last checkpoint that matches), at or before record " + r.seq()));
      }
      prev = r.hash();
      expected++;
      checked++;
    }
    return new Progress(expected - 1, prev, checked, null);
  }

  private static Progress broken(Progress at, long checked, long seq, String reason, String detail) {
    return new Progress(at.lastSeq(), at.lastHash(), checked,
        new JsonObject().put("firstBrokenSeq", seq).put("reason", reason).put("detail", detail));
  }

  private static JsonObject finish(Progress p, Head head, NavigableMap<Long, String> marks) {
    if (!marks.isEmpty() && marks.lastKey() > p.lastSeq()) {
      return new JsonObject().put("ok", false).put("checked", p.checked()).put("firstBrokenSeq", p.lastSeq() + 1)
          .put("reason", "TRUNCATED").put("detail", "the log ends at record " + p.lastSeq() + " but the checkpoint kept outside the database"
              + " shows records up to " + marks.lastKey() + " were written: records " + (p.lastSeq() + 1) + ".." + marks.lastKey()
              + " were removed");
    }
    if (head == null) {
      return new JsonObject().put("ok", false).put("checked", p.checked()).put("firstBrokenSeq", p.lastSeq() + 1)
          .put("reason", "HEAD_MISSING").put("detail", "the chain head record was removed");
    }
    if (p.lastSeq() < head.lastSeq()) {
      return new JsonObject().put("ok", false).put("checked", p.checked()).put("firstBrokenSeq", p.lastSeq() + 1)
          .put("reason", "MISSING").put("detail", "records " + (p.lastSeq() + 1) + ".." + head.lastSeq() + " are missing (deleted)");
    }
    if (p.lastSeq() > head.lastSeq()) {
      return new JsonObject().put("ok", false).put("checked", p.checked()).put("firstBrokenSeq", head.lastSeq() + 1)
          .put("reason", "UNEXPECTED").put("detail", "record " + (head.lastSeq() + 1) + " was added outside the audit writer");
    }
    if (!p.lastHash().equals(head.lastHash())) {
      return new JsonObject().put("ok", false).put("checked", p.checked()).put("firstBrokenSeq", p.lastSeq())
          .put("reason", "CONTENT_CHANGED").put("detail", "the last record does not match the chain head");
    }
    return new JsonObject().put("ok", true).put("checked", p.checked()).put("lastSeq", p.lastSeq()).put("lastHash", p.lastHash());
  }
}
