package org.govshare.identity;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.govshare.audit.AuditChain;
import org.govshare.audit.AuditEntry;
import org.govshare.audit.AuditWriter;
import org.govshare.platform.Periodic;

/**
 * Unauthenticated refusals, which anyone can send by the thousand, reach the audit log as one
 * record per (action, claimed client, source address, status, reason) and period, with a count,
 * instead of one record each. Flushed every period, when the table is full, and at shutdown.
 */
public final class AnonymousRefusals {
  static final int MAX_KEYS = 10_000;

  private record Key(String action, String clientId, String source, int status, String code, String reason) {}

  private record Tally(AuditEntry first, long count, Instant lastAt, String lastRequestId) {
    Tally add(AuditEntry e) {
      return new Tally(first, count + 1, e.at(), e.requestId());
    }
  }

  private final AuditWriter audit;
  private final Map<Key, Tally> tallies = new ConcurrentHashMap<>();
  private Periodic flusher;

  public AnonymousRefusals(AuditWriter audit) {
    this.audit = audit;
  }

  public void start(Vertx vertx, long periodMs) {
    flusher = Periodic.every(vertx, periodMs, "flushing unauthenticated refusals to the audit log", this::flush);
  }

  /** {@code entry} is the refusal as it would have been recorded alone; its detail carries status, code and reason. */
  public void record(AuditEntry entry, String source) {
    JsonObject d = entry.detail();
    Key key = new Key(entry.action().name(), entry.clientId(), source, d.getInteger("status", 0), d.getString("code"),
        d.getString("reason"));
    tallies.merge(key, new Tally(entry, 1, entry.at(), entry.requestId()), (old, one) -> old.add(entry));
    if (tallies.size() >= MAX_KEYS) {
      flush();
    }
  }

  public Future<Void> flush() {
    List<Future<Long>> written = new ArrayList<>();
    for (Key key : List.copyOf(tallies.keySet())) {
      Tally t = tallies.remove(key);
      if (t != null) {
        AuditEntry f = t.first();
        JsonObject detail = f.detail().copy().put("source", key.source()).put("count", t.count())
            .put("firstAt", f.at().toString()).put("lastAt", t.lastAt().toString());
        if (t.count() > 1) {
          detail.put("lastRequestId", t.lastRequestId());
        }
        written.add(audit.append(new AuditEntry(AuditChain.now(), f.requestId(), f.clientId(), f.department(), f.action(), f.resource(),
            f.subject(), f.outcome(), detail)));
      }
    }
    return Future.join(written).mapEmpty();
  }

  public Future<Void> stop() {
    if (flusher != null) {
      flusher.cancel();
    }
    return flush();
  }
}
