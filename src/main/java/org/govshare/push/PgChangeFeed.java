package org.govshare.push;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import org.govshare.access.AccessService;
import org.govshare.access.AccessService.View;
import org.govshare.access.StoredRecord;
import org.govshare.kernel.Caller;
import org.govshare.kernel.Role;
import org.govshare.platform.Problem;
import org.govshare.platform.config.GovshareConfig.DbUrl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ChangeFeed} over {@code data_change} (ADR 0011). Data, grant and catalogue changes of a
 * resource share one sequence; records are joined at read time from {@code data_record} and scoped
 * with the reader's {@link View} as it is at the call. The live signal is PostgreSQL LISTEN/NOTIFY:
 * a statement trigger notifies {@code govshare_push} at commit, so every instance on the database hears
 * every commit, clustered or not.
 */
public final class PgChangeFeed implements ChangeFeed {
  private static final Logger LOG = LoggerFactory.getLogger(PgChangeFeed.class);
  static final String CHANNEL = "govshare_push";
  // one statement, one snapshot: the watermark and the rows agree even while the purge runs
  static final String CHANGES = """
      SELECT w.purged, c.seq, c.record_key, c.op, c.at, c.department, c.detail, c.record_seq, c.record_version, c.data, c.updated_at
      FROM (SELECT coalesce((SELECT purged_through FROM push_watermark WHERE resource = $1), 0) AS purged) w
      LEFT JOIN LATERAL (
        SELECT c.seq, c.record_key, c.op, c.at, c.department, c.detail,
          r.seq AS record_seq, r.version AS record_version, r.data, r.updated_at
        FROM data_change c
        LEFT JOIN data_record r ON c.op = 'UPSERT' AND r.resource = c.resource AND r.record_key = c.record_key
        WHERE c.resource = $1 AND c.seq > $2 ORDER BY c.seq LIMIT $3) c ON true
      ORDER BY c.seq""";
  static final String HEAD = "SELECT last_seq FROM data_change_counter WHERE resource = $1";
  static final String HEADS = "SELECT resource, last_seq FROM data_change_counter WHERE resource = ANY($1::text[])";

  private static final JsonObject SUPERSEDED = new JsonObject().put("superseded", true);

  private final Vertx vertx;
  private final Pool pool;
  private final AccessService access;
  private final PgConnectOptions connect;
  private final List<BiConsumer<String, Long>> handlers = new CopyOnWriteArrayList<>();
  // the last seq this instance heard of per resource: after a reconnect, what advanced meanwhile is told
  private final Map<String, Long> heard = new ConcurrentHashMap<>();
  // readers at the same cursor (all streams of a resource after a notification) share one query and
  // its result, as long as it started after the last commit they were told of
  private final Cache<RawKey, Shared> reads = Caffeine.newBuilder().maximumSize(64).expireAfterWrite(Duration.ofSeconds(2)).build();
  // a reader's view for at most VIEW_TTL, dropped at once when a grant or catalogue change of the resource is read
  private final Cache<ViewKey, View> views = Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(VIEW_TTL).build();
  private PgSubscriber subscriber;
  private volatile boolean subscribedOnce;

  static final Duration VIEW_TTL = Duration.ofSeconds(1);

  private record RawKey(String resource, long afterSeq, int limit) {}

  private record ViewKey(String department, Set<Role> roles, String resource) {}

  private record Change(long seq, String key, String op, OffsetDateTime at, String department, JsonObject detail, Long recordSeq,
      Integer recordVersion, JsonObject data, OffsetDateTime updatedAt) {}

  // pages: this result scoped per view, so the streams of one department share the events too
  private record Raw(long purged, List<Change> changes, boolean changesAccess, Map<Scope, Page> pages) {}

  // grant events are the department's own: equal views of two departments do not share pages
  private record Scope(String department, View view) {}

  // heard: what this instance had heard of the resource when the query started; a query that started
  // before a commit the joining reader was told of must not answer it
  private record Shared(Future<Raw> read, long heard) {}

  public PgChangeFeed(Vertx vertx, Pool pool, AccessService access, DbUrl url) {
    this.vertx = vertx;
    this.pool = pool;
    this.access = access;
    this.connect = new PgConnectOptions().setHost(url.host()).setPort(url.port()).setDatabase(url.database()).setUser(url.user())
        .setPassword(url.password());
  }

  /** Listens for commits; keeps reconnecting (every 500 ms) when the database connection drops. */
  public Future<Void> start() {
    subscriber = PgSubscriber.subscriber(vertx, connect).reconnectPolicy(attempt -> 500L);
    subscriber.channel(CHANNEL)
        .subscribeHandler(v -> {
          if (subscribedOnce) {
            catchUp();
          }
          subscribedOnce = true;
        })
        .handler(this::notified);
    return subscriber.connect();
  }

  public Future<Void> stop() {
    return subscriber == null ? Future.succeededFuture() : subscriber.close();
  }

  private void notified(String payload) {
    int tab = payload.lastIndexOf('\t');
    if (tab <= 0) {
      return;
    }
    String resource = payload.substring(0, tab);
    long seq;
    try {
      seq = Long.parseLong(payload.substring(tab + 1));
    } catch (NumberFormatException e) {
      return;
    }
    tell(resource, seq);
  }

  private void tell(String resource, long seq) {
    heard.merge(resource, seq, Math::max);
    for (BiConsumer<String, Long> h : handlers) {
      try {
        h.accept(resource, seq);
      } catch (RuntimeException e) {
        LOG.warn("a push commit handler failed: {}", e.toString());
      }
    }
  }

  // notifications sent while the listening connection was down are lost: read the counters instead
  private void catchUp() {
    if (heard.isEmpty()) {
      return;
    }
    pool.preparedQuery(HEADS).execute(Tuple.of(heard.keySet().toArray(String[]::new))).onSuccess(rows -> {
      for (Row r : rows) {
        String resource = r.getString("resource");
        long seq = r.getLong("last_seq");
        if (seq > heard.getOrDefault(resource, 0L)) {
          tell(resource, seq);
        }
      }
    }).onFailure(e -> LOG.warn("push: reading the change counters after a reconnect failed: {}", e.toString()));
  }

  @Override
  public Runnable onCommit(BiConsumer<String, Long> handler) {
    handlers.add(handler);
    return () -> handlers.remove(handler);
  }

  @Override
  public Future<Long> head(String resource) {
    return pool.preparedQuery(HEAD).execute(Tuple.of(resource)).map(rows -> {
      long seq = rows.size() == 0 ? 0L : rows.iterator().next().getLong(0);
      heard.merge(resource, seq, Math::max);
      return seq;
    });
  }

  @Override
  public Future<Page> after(Caller reader, String resource, long afterSeq, int limit) {
    if (afterSeq < 0) {
      return Future.failedFuture(Problem.invalid("after", "must be 0 or more"));
    }
    return view(reader, resource).transform(viewed -> {
      if (viewed.failed() && !(viewed.cause() instanceof Problem p && p.status() == 403)) {
        return Future.failedFuture(viewed.cause());
      }
      return raw(resource, afterSeq, limit).map(raw -> {
        if (afterSeq < raw.purged()) {
          throw gone(resource, afterSeq, raw.purged());
        }
        if (raw.changesAccess()) {
          views.asMap().keySet().removeIf(k -> k.resource().equals(resource));
        }
        if (viewed.succeeded()) {
          return raw.pages().computeIfAbsent(new Scope(reader.department(), viewed.result()),
              scope -> scoped(reader, resource, scope.view(), raw.changes(), afterSeq));
        }
        return ending(reader, resource, raw.changes(), afterSeq, limit, (Problem) viewed.cause());
      });
    });
  }

  private Future<View> view(Caller reader, String resource) {
    ViewKey key = new ViewKey(reader.department(), reader.principal().roles(), resource);
    View known = views.getIfPresent(key);
    if (known != null) {
      return Future.succeededFuture(known);
    }
    return access.view(reader, resource).onSuccess(v -> views.put(key, v));
  }

  private Future<Raw> raw(String resource, long afterSeq, int limit) {
    long known = heard.merge(resource, afterSeq, Math::max);
    RawKey key = new RawKey(resource, afterSeq, limit);
    Shared earlier = reads.getIfPresent(key);
    if (earlier != null && earlier.heard() >= known && !earlier.read().failed()) {
      return earlier.read();
    }
    Future<Raw> read = pool.preparedQuery(CHANGES).execute(Tuple.of(resource, afterSeq, limit)).map(PgChangeFeed::changes);
    reads.put(key, new Shared(read, known));
    return read;
  }

  private static Raw changes(RowSet<Row> rows) {
    long purged = 0;
    boolean changesAccess = false;
    List<Change> out = new ArrayList<>(rows.rowCount());
    for (Row r : rows) {
      purged = r.getLong("purged");
      Long seq = r.getLong("seq");
      if (seq == null) {
        continue;
      }
      String op = r.getString("op");
      changesAccess |= "GRANT".equals(op) || "CATALOG".equals(op);
      out.add(new Change(seq, r.getString("record_key"), op, r.getOffsetDateTime("at"), r.getString("department"),
          json(r.getValue("detail")), r.getLong("record_seq"), r.getInteger("record_version"), json(r.getValue("data")),
          r.getOffsetDateTime("updated_at")));
    }
    return new Raw(purged, out, changesAccess, new ConcurrentHashMap<>());
  }

  private static JsonObject json(Object value) {
    return value == null ? null : value instanceof JsonObject o ? o : new JsonObject(String.valueOf(value));
  }

  /** The reader has access: data events scoped by its view; the page stops after anything that may change the view. */
  private static Page scoped(Caller reader, String resource, View view, List<Change> changes, long afterSeq) {
    List<ChangeEvent> events = new ArrayList<>(changes.size());
    long last = afterSeq;
    for (Change c : changes) {
      last = c.seq();
      switch (c.op()) {
        case "UPSERT" -> {
          if (c.recordSeq() == null) {
            // deleted since: nothing of it can be read any more; the delete event follows
            events.add(new ChangeEvent(c.seq(), resource, c.key(), ChangeEvent.UPSERT, "UPSERT", c.at(), null, null, SUPERSEDED));
            continue;
          }
          JsonObject served = view.serve(new StoredRecord(c.key(), c.recordVersion(), c.data(), c.updatedAt()));
          // no history is kept: an upsert rewritten since carries the record's current state, and says so
          events.add(new ChangeEvent(c.seq(), resource, c.key(), ChangeEvent.UPSERT, "UPSERT", c.at(), served.getJsonObject("record"),
              served.getJsonArray("masked"), c.recordSeq() == c.seq() ? null : SUPERSEDED));
        }
        case "DELETE" -> events.add(new ChangeEvent(c.seq(), resource, c.key(), ChangeEvent.DELETE, "DELETE", c.at(), null, null));
        case "GRANT" -> {
          if (!reader.department().equals(c.department())) {
            continue; // another department's grant changes nothing for this reader
          }
          events.add(new ChangeEvent(c.seq(), resource, c.key(), ChangeEvent.GRANT, null, c.at(), null, null, grantDetail(c)));
          return new Page(events, last);
        }
        case "CATALOG" -> {
          events.add(new ChangeEvent(c.seq(), resource, null, ChangeEvent.CATALOG, null, c.at(), null, null, c.detail()));
          if ("RETIRED".equals(c.detail().getString("status"))) {
            // nothing of a retired resource is served to anyone: no need to ask the view again
            events.add(retired(resource, c));
          }
          return new Page(events, last);
        }
        default -> throw new IllegalStateException("unknown change op " + c.op());
      }
    }
    return new Page(events, last);
  }

  /**
   * The reader has no access now. If a change after the cursor took it away, the reader learns of it:
   * its own grant and catalogue events up to that change, then {@code end}. Data events in between are
   * not delivered: nothing of them may be read any more.
   */
  private static Page ending(Caller reader, String resource, List<Change> changes, long afterSeq, int limit, Problem refused) {
    List<ChangeEvent> events = new ArrayList<>();
    long last = afterSeq;
    for (Change c : changes) {
      last = c.seq();
      if ("GRANT".equals(c.op()) && reader.department().equals(c.department())) {
        events.add(new ChangeEvent(c.seq(), resource, c.key(), ChangeEvent.GRANT, null, c.at(), null, null, grantDetail(c)));
        if (!"ACTIVE".equals(c.detail().getString("status"))) {
          events.add(ChangeEvent.end(c.seq(), resource, c.at(), "GRANT_" + c.detail().getString("status"), "grant " + c.key() + " of "
              + reader.department() + " is " + c.detail().getString("status").toLowerCase(java.util.Locale.ROOT)
              + (c.detail().getString("reason") == null ? "" : " (" + c.detail().getString("reason") + ")") + ": " + refused.detail()));
          return new Page(events, last);
        }
      } else if ("CATALOG".equals(c.op())) {
        events.add(new ChangeEvent(c.seq(), resource, null, ChangeEvent.CATALOG, null, c.at(), null, null, c.detail()));
        if ("RETIRED".equals(c.detail().getString("status"))) {
          events.add(retired(resource, c));
          return new Page(events, last);
        }
      }
    }
    if (changes.size() < limit) {
      throw refused; // nothing after the cursor explains it: access was never there, or ended without a change (expiry by date)
    }
    return new Page(events, last);
  }

  private static ChangeEvent retired(String resource, Change c) {
    return ChangeEvent.end(c.seq(), resource, c.at(), "RESOURCE_RETIRED", "resource " + resource + " was retired (catalogue version "
        + c.detail().getValue("version") + ")");
  }

  private static JsonObject grantDetail(Change c) {
    JsonObject d = c.detail().copy();
    d.remove("consumer");
    if (d.getValue("reason") == null) {
      d.remove("reason");
    }
    if (d.getValue("validUntil") == null) {
      d.remove("validUntil");
    }
    return d;
  }

  static Problem gone(String resource, long afterSeq, long purged) {
    return new Problem(410, "CURSOR_EXPIRED", "Cursor older than retention", "changes of " + resource + " up to seq " + purged
        + " were removed by the retention policy; cursor " + afterSeq + " cannot be resumed without a gap. Read the records again "
        + "(data plane) and open the stream without a cursor", List.of(), new JsonObject().put("purgedThrough", purged));
  }
}
