package org.govshare.tools;

import org.govshare.audit.PgAuditStore;
import org.govshare.kernel.Outcome;
import org.govshare.kernel.Caller;
import org.govshare.audit.AuditWriter;
import org.govshare.audit.AuditService;
import org.govshare.audit.AuditOutbox;
import org.govshare.kernel.AuditEntry;
import org.govshare.kernel.AuditAction;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.govshare.platform.config.GovshareConfig.DbUrl;
import org.govshare.platform.db.Database;
import org.govshare.platform.db.EmbeddedDatabase;
import org.govshare.platform.db.Migrations;

/**
 * The audit writer alone against a fresh embedded PostgreSQL: N records appended by C concurrent
 * producers, first with one commit per record (the baseline), then with group commit; then the
 * path of state changes: one transaction per record writing it into the outbox, and the chainer
 * linking them, timed until the last one is in the chain.
 * {@code java -jar target/govshare.jar bench-audit [records] [concurrency]}.
 */
public final class AuditBenchmark {
  private static Path CHECKPOINTS;

  private AuditBenchmark() {}

  public static void main(String[] args) throws Exception {
    int records = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 256;
    Path dir = Files.createTempDirectory("govshare-bench");
    CHECKPOINTS = dir.resolve("checkpoints");
    try (EmbeddedDatabase db = EmbeddedDatabase.start(dir, 0)) {
      DbUrl url = db.url();
      Migrations.apply(url);
      Vertx vertx = Vertx.vertx();
      Pool pool = Database.pool(vertx, url, 8);
      try {
        run(vertx, pool, 1, Math.min(records, 2_000), concurrency, "warm-up, one commit per record");
        run(vertx, pool, 500, Math.min(records, 20_000), concurrency, "warm-up, group commit");
        double single = run(vertx, pool, 1, Math.max(records / 10, 1_000), concurrency, "one commit per record (baseline)");
        double grouped = run(vertx, pool, 500, records, concurrency, "group commit, batches up to 500");
        System.out.printf("group commit / baseline = %.1fx%n", grouped / single);
        outbox(vertx, pool, Math.max(records / 10, 1_000), concurrency, "warm-up, outbox + chainer");
        outbox(vertx, pool, Math.max(records / 5, 2_000), concurrency, "outbox (one tx per change) + chainer");
        long verified = verify(vertx, pool);
        System.out.printf("chain verified: %d records intact%n", verified);
      } finally {
        pool.close().toCompletionStage().toCompletableFuture().get();
        vertx.close().toCompletionStage().toCompletableFuture().get();
      }
    }
  }

  private static double outbox(Vertx vertx, Pool pool, int records, int concurrency, String label) throws Exception {
    AuditWriter writer = new AuditWriter(vertx, pool, 500, new SimpleMeterRegistry(), CHECKPOINTS);
    Caller caller = Caller.system("bench");
    JsonObject detail = new JsonObject().put("resource", "1010100/000001").put("version", 2);
    AtomicLong next = new AtomicLong();
    AtomicLong finished = new AtomicLong();
    Promise<Void> done = Promise.promise();
    long start = System.nanoTime();
    vertx.runOnContext(v -> {
      for (int i = 0; i < concurrency; i++) {
        change(pool, caller, detail, next, records, finished, concurrency, done);
      }
    });
    done.future().compose(v -> writer.catchUp()).compose(v -> writer.drain())
        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.MINUTES);
    double seconds = (System.nanoTime() - start) / 1e9;
    double rate = records / seconds;
    System.out.printf("%-40s %8d records in %6.2f s = %9.0f records/s%n", label, records, seconds, rate);
    return rate;
  }

  private static void change(Pool pool, Caller caller, JsonObject detail, AtomicLong next, int records, AtomicLong finished,
      int concurrency, Promise<Void> done) {
    long n = next.getAndIncrement();
    if (n >= records) {
      if (finished.incrementAndGet() == concurrency) {
        done.tryComplete();
      }
      return;
    }
    pool.withTransaction(conn -> AuditOutbox.insert(conn,
            AuditEntry.of(caller, AuditAction.CATALOG_UPDATE, "1010100/000001", "key-" + n, Outcome.OK, detail)))
        .onComplete(ar -> {
          if (ar.failed()) {
            done.tryFail(ar.cause());
            return;
          }
          change(pool, caller, detail, next, records, finished, concurrency, done);
        });
  }

  private static double run(Vertx vertx, Pool pool, int batchMax, int records, int concurrency, String label) throws Exception {
    AuditWriter writer = new AuditWriter(vertx, pool, batchMax, new SimpleMeterRegistry(), CHECKPOINTS);
    Caller caller = Caller.system("bench");
    JsonObject detail = new JsonObject().put("resource", "1010100/000001").put("keys", 1).put("items", 12);
    AtomicLong next = new AtomicLong();
    Promise<Void> done = Promise.promise();
    AtomicLong finished = new AtomicLong();
    long start = System.nanoTime();
    vertx.runOnContext(v -> {
      for (int i = 0; i < concurrency; i++) {
        producer(writer, caller, detail, next, records, finished, concurrency, done);
      }
    });
    done.future().compose(v -> writer.drain()).toCompletionStage().toCompletableFuture().get(30, TimeUnit.MINUTES);
    double seconds = (System.nanoTime() - start) / 1e9;
    double rate = records / seconds;
    System.out.printf("%-40s %8d records in %6.2f s = %9.0f records/s%n", label, records, seconds, rate);
    return rate;
  }

  private static void producer(AuditWriter writer, Caller caller, JsonObject detail, AtomicLong next, int records,
      AtomicLong finished, int concurrency, Promise<Void> done) {
    long n = next.getAndIncrement();
    if (n >= records) {
      if (finished.incrementAndGet() == concurrency) {
        done.tryComplete();
      }
      return;
    }
    writer.append(AuditEntry.of(caller, AuditAction.HTTP_REQUEST, "1010100/000001", "key-" + n, Outcome.OK, detail))
        .onComplete(ar -> {
          if (ar.failed()) {
            done.tryFail(ar.cause());
            return;
          }
          producer(writer, caller, detail, next, records, finished, concurrency, done);
        });
  }

  private static long verify(Vertx vertx, Pool pool) throws Exception {
    AuditWriter writer = new AuditWriter(vertx, pool, 500, new SimpleMeterRegistry(), CHECKPOINTS);
    AuditService service = new AuditService(vertx, new PgAuditStore(pool), writer, java.time.ZoneOffset.UTC);
    JsonObject result = service.verifyChain().toCompletionStage().toCompletableFuture().get(10, TimeUnit.MINUTES);
    if (!result.getBoolean("ok")) {
      throw new IllegalStateException("chain broken: " + result.encode());
    }
    return result.getLong("checked");
  }
}
