package org.govshare.platform.cluster;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import org.govshare.platform.db.Rows;

/** Heartbeats and recorded changes of a clustered deployment. */
final class PgClusterStore {
  static final String BEAT = """
      INSERT INTO cluster_node (node_id, polled_at) VALUES ($1, now())
      ON CONFLICT (node_id) DO UPDATE SET polled_at = now()""";
  // a change is read by every heartbeat for this long; an instance that misses them all has lost its lease meanwhile
  static final String RECENT_CHANGES = "SELECT seq, kind, keys FROM cluster_change WHERE at > now() - interval '10 seconds' ORDER BY seq";
  static final String RECORD = "INSERT INTO cluster_change (kind, keys) VALUES ($1, $2) RETURNING seq";
  static final String LIVE_PEERS = """
      SELECT node_id FROM cluster_node WHERE polled_at > now() - make_interval(secs => $1) AND node_id <> $2 ORDER BY node_id""";
  static final String LEAVE = "DELETE FROM cluster_node WHERE node_id = $1";
  static final String FORGET = """
      WITH c AS (DELETE FROM cluster_change WHERE at < now() - interval '1 minute')
      DELETE FROM cluster_node WHERE polled_at < now() - interval '1 day'""";

  record Change(long seq, String kind, List<String> keys) {}

  private final Pool pool;

  PgClusterStore(Pool pool) {
    this.pool = pool;
  }

  Future<Void> beat(String node) {
    return pool.preparedQuery(BEAT).execute(Tuple.of(node)).mapEmpty();
  }

  Future<List<Change>> recentChanges() {
    return pool.preparedQuery(RECENT_CHANGES).execute().map(rows -> Rows.all(rows,
        r -> new Change(r.getLong("seq"), r.getString("kind"), List.of(r.getArrayOfStrings("keys")))));
  }

  Future<Long> record(String kind, List<String> keys) {
    return pool.preparedQuery(RECORD).execute(Tuple.tuple().addString(kind).addArrayOfString(keys.toArray(String[]::new)))
        .map(rows -> rows.iterator().next().getLong("seq"));
  }

  Future<List<String>> livePeers(String self, long leaseMs) {
    return pool.preparedQuery(LIVE_PEERS).execute(Tuple.of(leaseMs / 1000.0, self))
        .map(rows -> Rows.all(rows, r -> r.getString("node_id")));
  }

  Future<Void> leave(String node) {
    return pool.preparedQuery(LEAVE).execute(Tuple.of(node)).mapEmpty();
  }

  Future<Void> forgetOld() {
    return pool.preparedQuery(FORGET).execute().mapEmpty();
  }
}
