package org.govshare.audit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.govshare.platform.Problem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends audit records with group commit: while one batch is being written, new records queue
 * up and go into the next batch, so many requests share one transaction. {@link #append} completes
 * only once the record is committed; a state-changing request replies after that.
 *
 * <p>Thread-safe: every event loop appends; one context does the writing. The row lock on
 * {@code audit_head} orders writers of all instances into one chain.
 */
public final class AuditWriter {
  private static final Logger LOG = LoggerFactory.getLogger(AuditWriter.class);

  // A row slipped into the table behind the writer's back must not block the log: number after it,
  // but chain from the true tip, so verification still points at the intruder.
  static final String LOCK_HEAD = """
      SELECT greatest(last_seq, coalesce((SELECT max(seq) FROM audit_log), 0)) AS last_seq, last_hash
      FROM audit_head WHERE id = 1 FOR UPDATE""";
  static final String INSERT_BATCH = """
      INSERT INTO audit_log (seq, at, request_id, client_id, department, action, resource, subject, outcome, detail, prev_hash, hash)
      SELECT * FROM unnest($1::bigint[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                           $8::text[], $9::text[], $10::text[], $11::text[], $12::text[])""";
  static final String MOVE_HEAD = "UPDATE audit_head SET last_seq = $1, last_hash = $2 WHERE id = 1";

  private record Pending(AuditEntry entry, Promise<Long> promise, Context caller) {}

  private final Pool pool;
  private final Context writerContext;
  private final int batchMax;
  private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger queued = new AtomicInteger();
  private final AtomicBoolean writing = new AtomicBoolean();
  private final Counter written;
  private final Counter failed;
  private final DistributionSummary batchSize;
  private final Timer commitTime;

  public AuditWriter(Vertx vertx, Pool pool, int batchMax, MeterRegistry registry) {
    this.pool = pool;
    this.writerContext = vertx.getOrCreateContext();
    this.batchMax = batchMax;
    this.written = Counter.builder("govshare_audit_records_written").description("audit records committed").register(registry);
    this.failed = Counter.builder("govshare_audit_records_failed").description("audit records whose batch failed").register(registry);
    this.batchSize = DistributionSummary.builder("govshare_audit_batch_size").description("records per audit commit")
        .publishPercentiles(0.5, 0.99).register(registry);
    this.commitTime = Timer.builder("govshare_audit_commit").description("time to commit one audit batch")
        .publishPercentiles(0.5, 0.99).register(registry);
    Gauge.builder("govshare_audit_queue_depth", queued, AtomicInteger::get).description("audit records waiting for a commit")
        .register(registry);
  }

  /** Completes with the record's seq once it is durable. */
  public Future<Long> append(AuditEntry entry) {
    Promise<Long> promise = Promise.promise();
    queue.add(new Pending(entry, promise, Vertx.currentContext()));
    queued.incrementAndGet();
    kick();
    return promise.future();
  }

  public Future<Void> appendAll(List<AuditEntry> entries) {
    List<Future<Long>> all = new ArrayList<>(entries.size());
    entries.forEach(e -> all.add(append(e)));
    return Future.all(all).mapEmpty();
  }

  /** Resolves once everything queued before the call is written (used at shutdown). */
  public Future<Void> drain() {
    if (queued.get() == 0 && !writing.get()) {
      return Future.succeededFuture();
    }
    return append(AuditEntry.of(Caller.system(null), AuditAction.PLATFORM_BOOTSTRAP, null, "shutdown", Outcome.OK,
        new io.vertx.core.json.JsonObject().put("event", "audit writer drained at shutdown"))).mapEmpty();
  }

  private void kick() {
    if (!queue.isEmpty() && writing.compareAndSet(false, true)) {
      writerContext.runOnContext(v -> writeNext());
    }
  }

  private void writeNext() {
    List<Pending> batch = new ArrayList<>(Math.min(batchMax, 64));
    Pending p;
    while (batch.size() < batchMax && (p = queue.poll()) != null) {
      batch.add(p);
    }
    if (batch.isEmpty()) {
      writing.set(false);
      kick(); // an append may have slipped in between poll and set
      return;
    }
    queued.addAndGet(-batch.size());
    long started = System.nanoTime();
    pool.withTransaction(conn -> conn.query(LOCK_HEAD).execute().compose(rows -> {
          Row head = rows.iterator().next();
          long seq = head.getLong("last_seq");
          String prev = head.getString("last_hash");
          int n = batch.size();
          Long[] seqs = new Long[n];
          OffsetDateTime[] ats = new OffsetDateTime[n];
          String[] requestIds = new String[n], clients = new String[n], departments = new String[n], actions = new String[n],
              resources = new String[n], subjects = new String[n], outcomes = new String[n], details = new String[n],
              prevs = new String[n], hashes = new String[n];
          for (int i = 0; i < n; i++) {
            AuditEntry e = batch.get(i).entry();
            seq++;
            String detail = e.detail().encode();
            String hash = AuditChain.hash(seq, e.at(), e.requestId(), e.clientId(), e.department(), e.action().name(), e.resource(),
                e.subject(), e.outcome().name(), detail, prev);
            seqs[i] = seq;
            ats[i] = e.at().atOffset(ZoneOffset.UTC);
            requestIds[i] = e.requestId();
            clients[i] = e.clientId();
            departments[i] = e.department();
            actions[i] = e.action().name();
            resources[i] = e.resource();
            subjects[i] = e.subject();
            outcomes[i] = e.outcome().name();
            details[i] = detail;
            prevs[i] = prev;
            hashes[i] = hash;
            prev = hash;
          }
          long lastSeq = seq;
          String lastHash = prev;
          return conn.preparedQuery(INSERT_BATCH)
              .execute(Tuple.tuple(List.of(seqs, ats, requestIds, clients, departments, actions, resources, subjects, outcomes,
                  details, prevs, hashes)))
              .compose(r -> conn.preparedQuery(MOVE_HEAD).execute(Tuple.of(lastSeq, lastHash)))
              .map(r -> seqs);
        }))
        .onComplete(ar -> {
          commitTime.record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
          if (ar.succeeded()) {
            written.increment(batch.size());
            batchSize.record(batch.size());
            Long[] seqs = ar.result();
            for (int i = 0; i < batch.size(); i++) {
              complete(batch.get(i), seqs[i], null);
            }
          } else {
            failed.increment(batch.size());
            LOG.error("audit batch of {} records failed: {}", batch.size(), ar.cause().toString());
            Problem problem = Problem.unavailable("the audit log could not be written; retry the request");
            batch.forEach(b -> complete(b, null, problem));
          }
          writeNext();
        });
  }

  private static void complete(Pending p, Long seq, Throwable failure) {
    Runnable done = () -> {
      if (failure == null) {
        p.promise().complete(seq);
      } else {
        p.promise().fail(failure);
      }
    };
    if (p.caller() == null) {
      done.run();
    } else {
      p.caller().runOnContext(v -> done.run());
    }
  }
}
