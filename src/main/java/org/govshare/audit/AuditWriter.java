package org.govshare.audit;

import org.govshare.kernel.AuditSink;
import org.govshare.kernel.Outcome;
import org.govshare.kernel.AuditAction;
import org.govshare.kernel.AuditEntry;
import org.govshare.kernel.Caller;
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
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.govshare.platform.Problem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Links audit records into the hash chain, from two sources, on one context:
 *
 * <ul>
 *   <li>{@link #append}: records of reads and refusals, with group commit — while one batch is being
 *       written, new records queue up for the next, so many requests share one transaction. The
 *       future completes once the record is durable; the request replies after that. A batch the
 *       database refuses is retried record by record, so only the bad record fails.
 *   <li>the outbox: state changes write their records in their own transaction ({@link AuditOf},
 *       {@link AuditOutbox}); after each such commit, and on a periodic sweep for rows other
 *       instances or a crash left, this writer moves them into the chain.
 * </ul>
 *
 * <p>Thread-safe: every event loop appends. The row lock on {@code audit_head} orders the writers of
 * all instances into one chain.
 */
public final class AuditWriter implements AuditSink {
  private static final Logger LOG = LoggerFactory.getLogger(AuditWriter.class);
  static final long SWEEP_MS = 1_000;

  /** Where records are linked into the chain; the PostgreSQL one in production. */
  interface Chain {
    /** Links the entries in one transaction; the seqs they got, in order. */
    Future<long[]> append(List<AuditEntry> entries);

    /** Moves up to {@code limit} committed outbox rows into the chain; how many it moved. */
    Future<Integer> moveOutbox(int limit);
  }

  private record Pending(AuditEntry entry, Promise<Long> promise, Context caller) {}

  private record Waiter(Promise<Void> promise, Context caller) {}

  private final Vertx vertx;
  private final Chain chain;
  private final AuditCheckpoint checkpoint;
  private final Context writerContext;
  private final int batchMax;
  private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<Waiter> catchingUp = new ConcurrentLinkedQueue<>();
  private final AtomicInteger queued = new AtomicInteger();
  private final AtomicBoolean writing = new AtomicBoolean();
  private final AtomicBoolean outboxWaiting = new AtomicBoolean(true);
  private final Counter written;
  private final Counter failed;
  private final Counter moved;
  private final DistributionSummary batchSize;
  private final Timer commitTime;
  private final long sweep;
  private final Runnable kickOnCommit = this::chainOutbox;

  public AuditWriter(Vertx vertx, Pool pool, int batchMax, MeterRegistry registry, Path checkpointDir) {
    this(vertx, new AuditCheckpoint(vertx, checkpointDir), pool, batchMax, registry);
  }

  private AuditWriter(Vertx vertx, AuditCheckpoint checkpoint, Pool pool, int batchMax, MeterRegistry registry) {
    this(vertx, new PgAuditChain(pool, checkpoint), checkpoint, batchMax, registry);
  }

  AuditWriter(Vertx vertx, Chain chain, AuditCheckpoint checkpoint, int batchMax, MeterRegistry registry) {
    this.vertx = vertx;
    this.checkpoint = checkpoint;
    this.chain = chain;
    this.writerContext = vertx.getOrCreateContext();
    this.batchMax = batchMax;
    this.written = Counter.builder("govshare_audit_records_written").description("audit records committed").register(registry);
    this.failed = Counter.builder("govshare_audit_records_failed").description("audit records the database refused").register(registry);
    this.moved = Counter.builder("govshare_audit_outbox_chained").description("state-change records moved from the outbox into the chain")
        .register(registry);
    this.batchSize = DistributionSummary.builder("govshare_audit_batch_size").description("records per audit commit")
        .publishPercentiles(0.5, 0.99).register(registry);
    this.commitTime = Timer.builder("govshare_audit_commit").description("time to commit one audit batch")
        .publishPercentiles(0.5, 0.99).register(registry);
    Gauge.builder("govshare_audit_queue_depth", queued, AtomicInteger::get).description("audit records waiting for a commit")
        .register(registry);
    AuditOutbox.register(vertx, kickOnCommit);
    this.sweep = vertx.setPeriodic(SWEEP_MS, id -> chainOutbox());
    kick();
  }

  /** Completes with the record's seq once it is durable. For reads and refusals; state changes use {@link AuditOf}. */
  @Override
  public Future<Long> append(AuditEntry entry) {
    Promise<Long> promise = Promise.promise();
    queue.add(new Pending(entry, promise, Vertx.currentContext()));
    queued.incrementAndGet();
    kick();
    return promise.future();
  }

  /** The chain's tips kept outside the database, for verification. */
  AuditCheckpoint checkpoint() {
    return checkpoint;
  }

  /** Resolves once every outbox row committed before the call (on any instance) is in the chain. */
  public Future<Void> catchUp() {
    Promise<Void> promise = Promise.promise();
    catchingUp.add(new Waiter(promise, Vertx.currentContext()));
    chainOutbox();
    return promise.future();
  }

  /** At shutdown: everything queued and everything in the outbox is chained, then the sweep stops. */
  public Future<Void> drain() {
    vertx.cancelTimer(sweep);
    Future<Void> queueDrained = queued.get() == 0 && !writing.get()
        ? Future.succeededFuture()
        : append(AuditEntry.of(Caller.system(null), AuditAction.PLATFORM_BOOTSTRAP, null, "shutdown", Outcome.OK,
            new io.vertx.core.json.JsonObject().put("event", "audit writer drained at shutdown"))).mapEmpty();
    return queueDrained.compose(v -> catchUp()).onComplete(ar -> AuditOutbox.unregister(vertx, kickOnCommit));
  }

  private void chainOutbox() {
    outboxWaiting.set(true);
    kick();
  }

  private void kick() {
    if ((!queue.isEmpty() || outboxWaiting.get()) && writing.compareAndSet(false, true)) {
      writerContext.runOnContext(v -> writeNext());
    }
  }

  private void writeNext() {
    if (outboxWaiting.getAndSet(false)) {
      moveOutbox();
      return;
    }
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
    write(batch).onComplete(v -> writeNext());
  }

  private void moveOutbox() {
    List<Waiter> waiting = new ArrayList<>();
    Waiter w;
    while ((w = catchingUp.poll()) != null) {
      waiting.add(w);
    }
    long started = System.nanoTime();
    chain.moveOutbox(batchMax).onComplete(ar -> {
      if (ar.succeeded()) {
        int n = ar.result();
        if (n > 0) {
          commitTime.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
          moved.increment(n);
          written.increment(n);
          batchSize.record(n);
        }
        if (n >= batchMax) {
          // more rows behind these: the waiters wait for the round that finds the outbox drained
          catchingUp.addAll(waiting);
          outboxWaiting.set(true);
        } else {
          waiting.forEach(x -> done(x.caller(), () -> x.promise().complete()));
        }
      } else {
        LOG.error("moving audit records from the outbox failed (the sweep retries): {}", ar.cause().toString());
        Problem problem = Problem.unavailable("the audit log could not be brought up to date; retry the request");
        waiting.forEach(x -> done(x.caller(), () -> x.promise().fail(problem)));
      }
      writeNext();
    });
  }

  /** One transaction for the batch; if the database refuses it, each record alone, so only a bad one fails. */
  private Future<Void> write(List<Pending> batch) {
    long started = System.nanoTime();
    return chain.append(batch.stream().map(Pending::entry).toList()).transform(ar -> {
      commitTime.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
      if (ar.succeeded()) {
        written.increment(batch.size());
        batchSize.record(batch.size());
        long[] seqs = ar.result();
        for (int i = 0; i < batch.size(); i++) {
          Pending p = batch.get(i);
          long seq = seqs[i];
          done(p.caller(), () -> p.promise().complete(seq));
        }
        return Future.succeededFuture();
      }
      if (batch.size() > 1) {
        LOG.warn("audit batch of {} records failed ({}); writing them one by one", batch.size(), ar.cause().toString());
        return oneByOne(batch, 0);
      }
      failed.increment();
      LOG.error("audit record {} {} could not be written: {}", batch.get(0).entry().action(), batch.get(0).entry().requestId(),
          ar.cause().toString());
      Problem problem = Problem.unavailable("the audit log could not be written; retry the request");
      Pending p = batch.get(0);
      done(p.caller(), () -> p.promise().fail(problem));
      return Future.succeededFuture();
    });
  }

  private Future<Void> oneByOne(List<Pending> batch, int from) {
    if (from >= batch.size()) {
      return Future.succeededFuture();
    }
    return write(List.of(batch.get(from))).compose(v -> oneByOne(batch, from + 1));
  }

  private static void done(Context caller, Runnable completion) {
    if (caller == null) {
      completion.run();
    } else {
      caller.runOnContext(v -> completion.run());
    }
  }
}
