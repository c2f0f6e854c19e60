package org.govshare.audit;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.govshare.audit.AuditStore.Filter;
import org.govshare.audit.AuditStore.Head;
import org.govshare.identity.Principal;
import org.govshare.identity.Role;
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
          requested.outcome());
    }
    Optional<Long> before = page.first() ? Optional.empty() : Optional.of(page.longKey(1, 0));
    Filter used = filter;
    return store.list(filter, before, page.fetchSize()).map(rows -> {
      writer.append(AuditEntry.of(caller, AuditAction.AUDIT_READ, null, null, Outcome.OK, new JsonObject()
          .put("department", used.department().orElse(null)).put("action", used.action().orElse(null))
          .put("returned", Math.min(rows.size(), page.limit()))));
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

  public Future<JsonObject> verifyChain() {
    return store.head().compose(head -> walk(new Progress(0, AuditChain.GENESIS, 0, null), head.orElse(null)));
  }

  private Future<JsonObject> walk(Progress progress, Head head) {
    return store.chunk(progress.lastSeq(), VERIFY_CHUNK)
        .compose(rows -> vertx.executeBlocking(() -> check(progress, rows), false).compose(next -> {
          if (next.broken() != null) {
            return Future.succeededFuture(next.broken().put("ok", false).put("checked", next.checked()));
          }
          if (rows.size() == VERIFY_CHUNK) {
            return walk(next, head);
          }
          return Future.succeededFuture(finish(next, head));
        }));
  }

  /** Pure: runs on a worker because hashing a large log takes a while. */
  static Progress check(Progress start, List<AuditRecord> rows) {
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

  private static JsonObject finish(Progress p, Head head) {
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
