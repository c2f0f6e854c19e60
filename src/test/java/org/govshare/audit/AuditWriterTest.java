package org.govshare.audit;

import org.govshare.kernel.Outcome;
import org.govshare.kernel.AuditAction;
import org.govshare.kernel.AuditEntry;
import org.govshare.kernel.Caller;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The writer's batching and failure isolation, against a chain that refuses any batch holding a "bad" record. */
class AuditWriterTest {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** Like PostgreSQL refusing one row: the whole transaction fails. Slow, so records pile up into batches. */
  static final class RefusingChain implements AuditWriter.Chain {
    final Vertx vertx;
    final AtomicLong seq = new AtomicLong();
    final List<Integer> batchSizes = new ArrayList<>();
    final AtomicInteger outboxRounds = new AtomicInteger();

    RefusingChain(Vertx vertx) {
      this.vertx = vertx;
    }

    @Override
    public Future<long[]> append(List<AuditEntry> entries) {
      synchronized (batchSizes) {
        batchSizes.add(entries.size());
      }
      return vertx.timer(20).compose(v -> {
        if (entries.stream().anyMatch(e -> "bad".equals(e.subject()))) {
          return Future.failedFuture(new IllegalStateException("invalid byte sequence"));
        }
        long[] seqs = new long[entries.size()];
        for (int i = 0; i < seqs.length; i++) {
          seqs[i] = seq.incrementAndGet();
        }
        return Future.succeededFuture(seqs);
      });
    }

    @Override
    public Future<Integer> moveOutbox(int limit) {
      outboxRounds.incrementAndGet();
      return Future.succeededFuture(0);
    }
  }

  @Test
  void append_aRefusedRecordFailsAloneNotItsBatch() throws Exception {
    RefusingChain chain = new RefusingChain(vertx);
    AuditWriter writer = new AuditWriter(vertx, chain, null, 500, new SimpleMeterRegistry());
    Caller caller = Caller.system("test");
    List<Future<Long>> results = new java.util.concurrent.CopyOnWriteArrayList<>();
    vertx.runOnContext(v -> {
      for (int i = 0; i < 50; i++) {
        results.add(writer.append(AuditEntry.of(caller, AuditAction.TOKEN_ISSUE, null, i == 17 ? "bad" : "good-" + i, Outcome.DENIED,
            new JsonObject())));
      }
    });
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!(results.size() == 50 && results.stream().allMatch(Future::isComplete)) && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }

    assertThat(results.get(17).failed()).isTrue();
    for (int i = 0; i < 50; i++) {
      if (i != 17) {
        assertThat(results.get(i).succeeded()).as("record %d", i).isTrue();
      }
    }
    assertThat(results.stream().filter(Future::succeeded).map(Future::result).distinct()).hasSize(49);
    assertThat(chain.batchSizes).as("records were batched before the refusal split a batch").anyMatch(n -> n > 1);
  }

  @Test
  void catchUp_runsAnOutboxRoundStartedAfterTheCall() throws Exception {
    RefusingChain chain = new RefusingChain(vertx);
    AuditWriter writer = new AuditWriter(vertx, chain, null, 500, new SimpleMeterRegistry());
    int before = chain.outboxRounds.get();
    writer.catchUp().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    assertThat(chain.outboxRounds.get()).isGreaterThan(before);
    writer.drain().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }
}
