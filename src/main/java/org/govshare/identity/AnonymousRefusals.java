package org.govshare.identity;

import org.govshare.kernel.RefusalTally;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.govshare.audit.AuditChain;
import org.govshare.kernel.AuditEntry;
import org.govshare.audit.AuditWriter;
import org.govshare.platform.Periodic;

/**
 * Unauthenticated refusals, which anyone can send by the thousand, reach the audit log as one
 * record per (action, source address, status, reason) and period, with a count, instead of one
 * record each. The client ids claimed are kept with their counts (the first few; made-up ids by
 * the thousand only add to a count). Flushed every period, when the table is full, and at shutdown.
 */
public final class AnonymousRefusals implements RefusalTally {
  static final int MAX_KEYS = 10_000;
  static final int MAX_CLIENTS_NAMED = 20;

  private record Key(String action, String source, int status, String code, String reason) {}

  private record Tally(AuditEntry first, long count, Instant lastAt, String lastRequestId, Map<String, Long> clients, long otherClients) {
    static Tally of(AuditEntry e) {
      return new Tally(e, 1, e.at(), e.requestId(), e.clientId() == null ? Map.of() : Map.of(e.clientId(), 1L), 0);
    }

    Tally add(AuditEntry e) {
      Map<String, Long> named = clients;
      long others = otherClients;
      if (e.clientId() != null) {
        if (clients.containsKey(e.clientId()) || clients.size() < MAX_CLIENTS_NAMED) {
          named = new java.util.TreeMap<>(clients);
          named.merge(e.clientId(), 1L, Long::sum);
        } else {
          others++;
        }
      }
      return new Tally(first, count + 1, e.at(), e.requestId(), named, others);
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
  @Override
  public void record(AuditEntry entry, String source) {
    JsonObject d = entry.detail();
    Key key = new Key(entry.action().name(), source, d.getInteger("status", 0), d.getString("code"), d.getString("reason"));
    tallies.merge(key, Tally.of(entry), (old, one) -> old.add(entry));
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
        JsonObject clients = new JsonObject();
        t.clients().forEach(clients::put);
        JsonObject detail = f.detail().copy().put("source", key.source()).put("count", t.count())
            .put("firstAt", f.at().toString()).put("lastAt", t.lastAt().toString()).put("clients", clients);
        if (t.otherClients() > 0) {
          detail.put("otherClients", t.otherClients());
        }
        if (t.count() > 1) {
          detail.put("lastRequestId", t.lastRequestId());
        }
        // the record names a client only when every refusal it counts claimed that one
        String clientId = t.clients().size() == 1 && t.otherClients() == 0 && t.clients().values().iterator().next() == t.count()
            ? t.clients().keySet().iterator().next() : null;
        written.add(audit.append(new AuditEntry(AuditChain.now(), f.requestId(), clientId, f.department(), f.action(), f.resource(),
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
