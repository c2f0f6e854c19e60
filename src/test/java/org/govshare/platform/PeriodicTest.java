package org.govshare.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PeriodicTest {

  @Test
  void stopAll_waitsForTheRunInFlight_andNoRunStartsAfterwards() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      Promise<Void> run = Promise.promise();
      CountDownLatch started = new CountDownLatch(1);
      AtomicInteger runs = new AtomicInteger();
      Periodic.every(vertx, 10, "test poll", () -> {
        runs.incrementAndGet();
        started.countDown();
        return run.future();
      });
      assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

      Future<Void> stopped = Periodic.stopAll(vertx);
      Thread.sleep(100);
      assertThat(stopped.isComplete()).as("stopped while a run is in flight").isFalse();

      run.complete();
      stopped.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      int after = runs.get();
      Thread.sleep(100);
      assertThat(runs.get()).isEqualTo(after);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }
}
