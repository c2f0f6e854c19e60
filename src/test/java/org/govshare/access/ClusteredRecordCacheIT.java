package org.govshare.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.govshare.access.DataWorld.enc;
import static org.govshare.access.DataWorld.id;
import static org.govshare.access.DataWorld.person;
import static org.govshare.access.RecordCacheIT.cacheRequests;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.govshare.access.DataWorld.Party;
import org.govshare.testing.ClusteredPair;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The record cache shared by two clustered instances on one database (ADR 0009): a write answered on
 * one instance is what the next read on the other returns, also while reads race the writes.
 */
class ClusteredRecordCacheIT {
  private static ClusteredPair pair;
  private static DataWorld wa;
  private static DataWorld wb;

  @BeforeAll
  static void start() {
    // the grant and token polls so slow that only the invalidation and the shared map explain what is seen
    pair = ClusteredPair.start(Map.of("token.revocation-poll-ms", "60000", "sharing.poll-ms", "60000"));
    wa = new DataWorld(pair.a);
    wb = new DataWorld(pair.b);
  }

  @AfterAll
  static void stop() {
    pair.close();
  }

  @Test
  void readsOnB_areAnsweredFromTheSharedMap_evenWhenAFilledIt() {
    Party provider = wa.party("GA", "PROVIDER");
    String code = wa.personResource(provider, "PUBLISHED");
    String a = id("410727", "19900307", "123");
    wa.upload(code, person(a, "张三", 1, "x")).as(provider.token()).expect(200);
    wa.read(code, a).as(provider.token()).expect(200);
    waitForFill(wa, code, a, provider);
    double hits = cacheRequests(pair.b, "hit");
    double misses = cacheRequests(pair.b, "miss");
    for (int i = 0; i < 5; i++) {
      wb.read(code, a).as(provider.token()).expect(200);
    }
    assertThat(cacheRequests(pair.b, "hit") - hits).isEqualTo(5);
    assertThat(cacheRequests(pair.b, "miss") - misses).isZero();
    assertThat(pair.b.http().get("/health/ready").expect(200).json().getJsonObject("checks").getJsonObject("recordCache")
        .getBoolean("serving")).isTrue();
  }

  @Test
  void updateOnA_nextReadOnB_returnsIt_insertsAndDeletesToo() {
    Party provider = wa.party("GA", "PROVIDER");
    String code = wa.personResource(provider, "PUBLISHED");
    String a = id("410727", "19900307", "123");
    String later = id("110105", "19491231", "002");
    wa.upload(code, person(a, "张三", 1, "x")).as(provider.token()).expect(200);
    for (int i = 2; i <= 21; i++) {
      wb.read(code, a).as(provider.token()).expect(200);
      wb.read(code, a).as(provider.token()).expect(200);
      wa.upload(code, person(a, "张三", i, "x")).as(provider.token()).expect(200);
      JsonObject got = wb.read(code, a).as(provider.token()).expect(200).json();
      assertThat(got.getInteger("version")).as("round %d", i).isEqualTo(i);
      assertThat(got.getJsonObject("record").getInteger("income")).isEqualTo(i);
    }
    wb.read(code, later).as(provider.token()).expectProblem(404, "NOT_FOUND");
    wb.read(code, later).as(provider.token()).expectProblem(404, "NOT_FOUND");
    wa.upload(code, person(later, "王五", 7, "y")).as(provider.token()).expect(200);
    wb.read(code, later).as(provider.token()).expect(200);

    wa.http.delete("/api/v1/resources/" + enc(code) + "/records/" + a).as(provider.token()).expect(204);
    wb.read(code, a).as(provider.token()).expectProblem(404, "NOT_FOUND");
    assertThat(wb.verify(code, a, new JsonObject().put("income", 21)).as(provider.token()).expect(200).json().getBoolean("found")).isFalse();
  }

  @Test
  void readsRacingWrites_neverReturnAnOlderVersionThanTheLastAnswered() throws Exception {
    Party provider = wa.party("GA", "PROVIDER");
    String code = wa.personResource(provider, "PUBLISHED");
    String a = id("410727", "19900307", "123");
    wa.upload(code, person(a, "张三", 1, "x")).as(provider.token()).expect(200);
    AtomicInteger acknowledged = new AtomicInteger(1);
    AtomicBoolean writing = new AtomicBoolean(true);
    AtomicInteger reads = new AtomicInteger();
    List<String> stale = java.util.Collections.synchronizedList(new ArrayList<>());
    ExecutorService readers = Executors.newFixedThreadPool(4);
    List<Future<?>> running = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      DataWorld w = t % 2 == 0 ? wb : wa;
      running.add(readers.submit(() -> {
        while (writing.get()) {
          int floor = acknowledged.get();
          JsonObject got = w.read(code, a).as(provider.token()).expect(200).json();
          int income = got.getJsonObject("record").getInteger("income");
          reads.incrementAndGet();
          if (income < floor) {
            stale.add((w == wb ? "B" : "A") + " read " + income + " after " + floor + " was answered");
          }
        }
      }));
    }
    try {
      for (int i = 2; i <= 60; i++) {
        wa.upload(code, person(a, "张三", i, "x")).as(provider.token()).expect(200);
        acknowledged.set(i);
        // a few reads after each answered write, however slow the machine: the race is what is tested
        int target = reads.get() + 2;
        while (reads.get() < target && running.stream().anyMatch(f -> !f.isDone())) {
          Thread.sleep(1);
        }
      }
    } finally {
      writing.set(false);
      for (Future<?> f : running) {
        f.get(30, TimeUnit.SECONDS);
      }
      readers.shutdownNow();
    }
    assertThat(stale).isEmpty();
    assertThat(reads.get()).isGreaterThanOrEqualTo(2 * 59);
    assertThat(wb.read(code, a).as(provider.token()).expect(200).json().getInteger("version")).isEqualTo(60);
  }

  /** A miss answers before its fill lands: read until the next read is a hit. */
  private static void waitForFill(DataWorld w, String code, String key, Party reader) {
    for (int i = 0; i < 50; i++) {
      double hits = cacheRequests(w.server, "hit");
      w.read(code, key).as(reader.token()).expect(200);
      if (cacheRequests(w.server, "hit") > hits) {
        return;
      }
    }
    throw new AssertionError("the record was never answered from the shared map on " + w.server.baseUrl());
  }
}
