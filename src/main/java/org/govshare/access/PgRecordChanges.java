package org.govshare.access;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What changed among the hosted records, for instances that share the database without a cluster.
 * A resource's counter row is locked by every writing transaction until it commits, so a counter
 * read as N means every change up to N is committed and visible: reading the log up to N misses none.
 */
final class PgRecordChanges {
  static final String COUNTERS = "SELECT resource, last_seq FROM data_change_counter";
  static final String CHANGED_KEYS = """
      SELECT DISTINCT record_key FROM data_change WHERE resource = $1 AND seq > $2 AND seq <= $3""";

  private final Pool pool;

  PgRecordChanges(Pool pool) {
    this.pool = pool;
  }

  Future<Map<String, Long>> counters() {
    return pool.preparedQuery(COUNTERS).execute().map(rows -> {
      Map<String, Long> out = new HashMap<>();
      for (Row r : rows) {
        out.put(r.getString("resource"), r.getLong("last_seq"));
      }
      return out;
    });
  }

  Future<List<String>> changedKeys(String resource, long after, long upTo) {
    return pool.preparedQuery(CHANGED_KEYS).execute(Tuple.of(resource, after, upTo)).map(rows -> {
      List<String> out = new ArrayList<>(rows.rowCount());
      rows.forEach(r -> out.add(r.getString(0)));
      return out;
    });
  }
}
