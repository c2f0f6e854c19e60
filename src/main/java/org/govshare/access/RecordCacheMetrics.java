package org.govshare.access;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** The counters every record cache keeps: keys answered from the cache and keys read from the database. */
final class RecordCacheMetrics {
  static final String REQUESTS = "govshare_record_cache_requests";

  private RecordCacheMetrics() {}

  static Counter hits(MeterRegistry registry) {
    return Counter.builder(REQUESTS).tag("result", "hit").description("record keys answered from the record cache").register(registry);
  }

  static Counter misses(MeterRegistry registry) {
    return Counter.builder(REQUESTS).tag("result", "miss").description("record keys the record cache read from the database")
        .register(registry);
  }
}
