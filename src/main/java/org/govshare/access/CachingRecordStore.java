package org.govshare.access;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import io.vertx.sqlclient.SqlConnection;
import org.govshare.kernel.AuditEntry;

/** The record store with the cache told of every committed change before the write is answered. */
public final class CachingRecordStore implements RecordStore {
  private final RecordStore store;
  private final RecordCache cache;

  public CachingRecordStore(RecordStore store, RecordCache cache) {
    this.store = store;
    this.cache = cache;
  }

  @Override
  public Future<SeqRange> upsert(String resource, List<Write> rows, Function<SeqRange, AuditEntry> audit) {
    return store.upsert(resource, rows, audit).compose(range -> {
      List<String> keys = new ArrayList<>(rows.size());
      rows.forEach(w -> keys.add(w.key()));
      return cache.written(resource, keys).map(range);
    });
  }

  @Override
  public Future<Optional<Long>> delete(String resource, String key, Function<Long, AuditEntry> audit) {
    return store.delete(resource, key, audit)
        .compose(deleted -> deleted.isEmpty() ? Future.succeededFuture(deleted) : cache.written(resource, List.of(key)).map(deleted));
  }

  @Override
  public Future<Optional<Fixed>> fix(SqlConnection conn, String resource, String key, String item, String jsonValue,
      Function<Long, AuditEntry> audit) {
    return store.fix(conn, resource, key, item, jsonValue, audit);
  }

  @Override
  public Future<Void> committed(String resource, List<String> keys) {
    return store.committed(resource, keys).compose(v -> cache.written(resource, keys).mapEmpty());
  }

  @Override
  public Future<List<StoredRecord>> find(String resource, List<String> keys) {
    return store.find(resource, keys);
  }
}
