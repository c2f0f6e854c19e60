package org.govshare.access;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.govshare.platform.Problem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ProviderGateTest {
  private final Vertx vertx = Vertx.vertx();
  private final Context context = vertx.getOrCreateContext();

  @AfterEach
  void close() {
    vertx.close();
  }

  private Future<Void> acquire(ProviderGate gate, long timeoutMs) {
    return gate.acquire(context, timeoutMs, () -> new Problem(503, "PROVIDER_BUSY", "busy", "busy", List.of(), null),
        () -> new Problem(504, "PROVIDER_TIMEOUT", "late", "late", List.of(), null));
  }

  private static int status(Future<Void> f) throws Exception {
    try {
      f.toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
      return 200;
    } catch (java.util.concurrent.ExecutionException e) {
      return ((Problem) e.getCause()).status();
    }
  }

  @Test
  void acquire_runsAtMostMaxAndQueuesAtMostMaxWaiting() throws Exception {
    ProviderGate gate = new ProviderGate(2, 1);
    assertThat(status(acquire(gate, 1_000))).isEqualTo(200);
    assertThat(status(acquire(gate, 1_000))).isEqualTo(200);
    Future<Void> waiting = acquire(gate, 5_000);
    assertThat(status(acquire(gate, 1_000))).as("the queue is full").isEqualTo(503);
    assertThat(waiting.isComplete()).isFalse();
    gate.release();
    assertThat(status(waiting)).as("a released permit passes to the waiter").isEqualTo(200);
    assertThat(gate.running()).isEqualTo(2);
    gate.release();
    gate.release();
    assertThat(gate.running()).isZero();
  }

  @Test
  void acquire_givesUpAtTheDeadlineAndLeavesTheQueue() throws Exception {
    ProviderGate gate = new ProviderGate(1, 1);
    assertThat(status(acquire(gate, 1_000))).isEqualTo(200);
    assertThat(status(acquire(gate, 50))).isEqualTo(504);
    assertThat(status(acquire(gate, 50))).as("the waiter that gave up no longer holds a place").isEqualTo(504);
    gate.release();
    assertThat(gate.running()).isZero();
    assertThat(status(acquire(gate, 50))).isEqualTo(200);
  }
}
