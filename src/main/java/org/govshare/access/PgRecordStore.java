package org.govshare.access;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.govshare.kernel.AuditEntry;
import org.govshare.audit.AuditOutbox;

/** {@link RecordStore} on PostgreSQL: one round trip per step, arrays instead of one statement per row. */
public final class PgRecordStore implements RecordStore, RecordSource {
  // takes n numbers and locks the resource's counter row until the transaction ends
  static final String TAKE_SEQS = """
      INSERT INTO data_change_counter AS c (resource, last_seq) VALUES ($1, $2)
      ON CONFLICT (resource) DO UPDATE SET last_seq = c.last_seq + $2
      RETURNING last_seq""";
  static final String UPSERT = """
      WITH rows AS (
        SELECT * FROM unnest($2::text[], $3::bigint[], $4::text[]) AS u(record_key, seq, data)
      ), written AS (
        INSERT INTO data_record AS r (resource, record_key, version, seq, data, updated_at)
        SELECT $1, record_key, 1, seq, data::jsonb, now() FROM rows
        ON CONFLICT (resource, record_key) DO UPDATE
          SET version = r.version + 1, seq = EXCLUDED.seq, data = EXCLUDED.data, updated_at = EXCLUDED.updated_at
        RETURNING record_key, version, seq
      )
      INSERT INTO data_change (resource, seq, record_key, op, version, at)
      SELECT $1, seq, record_key, 'UPSERT', version, now() FROM written""";
  static final String DELETE = """
      WITH gone AS (
        DELETE FROM data_record WHERE resource = $1 AND record_key = $2 RETURNING record_key, version
      )
      INSERT INTO data_change (resource, seq, record_key, op, version, at)
      SELECT $1, $3, record_key, 'DELETE', version, now() FROM gone
      RETURNING seq""";
  // one item of one record: the next version, with its change-log row, as an upsert of that record would write it
  static final String FIX = """
      WITH fixed AS (
        UPDATE data_record SET data = jsonb_set(data, ARRAY[$3::text], $4::text::jsonb, true), version = version + 1, seq = $5,
          updated_at = now()
        WHERE resource = $1 AND record_key = $2 RETURNING record_key, version, seq
      )
      INSERT INTO data_change (resource, seq, record_key, op, version, at)
      SELECT $1, seq, record_key, 'UPSERT', version, now() FROM fixed
      RETURNING seq, version""";
  static final String FIND = """
      SELECT record_key, version, data, updated_at FROM data_record WHERE resource = $1 AND record_key = ANY($2::text[])""";

  private final Pool pool;

  public PgRecordStore(Pool pool) {
    this.pool = pool;
  }

  @Override
  public Future<SeqRange> upsert(String resource, List<Write> rows, Function<SeqRange, AuditEntry> audit) {
    int n = rows.size();
    String[] keys = new String[n];
    String[] data = new String[n];
    for (int i = 0; i < n; i++) {
      keys[i] = rows.get(i).key();
      data[i] = rows.get(i).json();
    }
    return pool.withTransaction(conn -> conn.preparedQuery(TAKE_SEQS).execute(Tuple.of(resource, n)).compose(taken -> {
      long last = taken.iterator().next().getLong(0);
      long first = last - n + 1;
      Long[] seqs = new Long[n];
      for (int i = 0; i < n; i++) {
        seqs[i] = first + i;
      }
      SeqRange range = new SeqRange(first, last);
      return conn.preparedQuery(UPSERT).execute(Tuple.tuple(List.of(resource, keys, seqs, data)))
          .compose(v -> AuditOutbox.insert(conn, audit.apply(range)))
          .map(range);
    }));
  }

  @Override
  public Future<Optional<Long>> delete(String resource, String key, Function<Long, AuditEntry> audit) {
    return pool.withTransaction(conn -> conn.preparedQuery(TAKE_SEQS).execute(Tuple.of(resource, 1)).compose(taken -> {
      long seq = taken.iterator().next().getLong(0);
      return conn.preparedQuery(DELETE).execute(Tuple.of(resource, key, seq)).compose(rows -> {
        if (rows.rowCount() == 0) {
          // nothing deleted: roll back so the sequence keeps no gap
          return Future.failedFuture(new NothingDeleted());
        }
        return AuditOutbox.insert(conn, audit.apply(seq)).map(Optional.of(seq));
      });
    })).recover(e -> e instanceof NothingDeleted ? Future.succeededFuture(Optional.empty()) : Future.failedFuture(e));
  }

  @Override
  public Future<Optional<Fixed>> fix(SqlConnection conn, String resource, String key, String item, String jsonValue,
      Function<Long, AuditEntry> audit) {
    return conn.preparedQuery(TAKE_SEQS).execute(Tuple.of(resource, 1)).compose(taken -> {
      long seq = taken.iterator().next().getLong(0);
      return conn.preparedQuery(FIX).execute(Tuple.of(resource, key, item, jsonValue, seq)).compose(rows -> {
        if (rows.size() == 0) {
          return Future.succeededFuture(Optional.<Fixed>empty());
        }
        Row r = rows.iterator().next();
        Fixed fixed = new Fixed(r.getLong("seq"), r.getInteger("version"));
        return AuditOutbox.insert(conn, audit.apply(seq)).map(Optional.of(fixed));
      });
    });
  }

  @Override
  public Future<List<StoredRecord>> find(String resource, List<String> keys) {
    return pool.preparedQuery(FIND).execute(Tuple.tuple(List.of(resource, keys.toArray(String[]::new)))).map(rows -> {
      List<StoredRecord> out = new ArrayList<>(rows.rowCount());
      for (Row r : rows) {
        Object data = r.getValue("data");
        out.add(new StoredRecord(r.getString("record_key"), r.getInteger("version"),
            data instanceof JsonObject o ? o : new JsonObject(String.valueOf(data)), r.getOffsetDateTime("updated_at")));
      }
      return out;
    });
  }

  @Override
  public Future<List<StoredRecord>> fetch(RecordSchema resource, List<String> keys) {
    return find(resource.code(), keys);
  }

  private static final class NothingDeleted extends RuntimeException {
    NothingDeleted() {
      super(null, null, false, false);
    }
  }
}
