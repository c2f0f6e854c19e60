package org.govshare.platform.db;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PrepareOptions;
import io.vertx.sqlclient.PreparedQuery;
import io.vertx.sqlclient.Query;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.SqlResult;
import io.vertx.sqlclient.TransactionPropagation;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collector;

/**
 * The pool every store uses, with a deadline on each query and each transaction. The PostgreSQL
 * client has no query timeout, and a frozen server keeps its sockets open (so TCP and idle
 * timeouts never fire): without this a caller waits as long as the database is stalled. A query
 * past its deadline keeps its connection until the database answers; later callers then time out
 * waiting for the pool, and everything flows again once the database is back.
 */
final class DeadlinePool implements Pool {
  private final Pool pool;
  private final long deadlineMs;

  DeadlinePool(Pool pool, long deadlineMs) {
    this.pool = pool;
    this.deadlineMs = deadlineMs;
  }

  <T> Future<T> deadline(Future<T> work) {
    return work.timeout(deadlineMs, TimeUnit.MILLISECONDS).recover(e -> Future.failedFuture(
        !work.isComplete() ? new DatabaseUnavailable("no answer from the database within " + deadlineMs + " ms", e)
            : Database.unreachable(e) ? new DatabaseUnavailable("the database cannot be reached: " + e.getMessage(), e) : e));
  }

  @Override
  public Future<SqlConnection> getConnection() {
    return pool.getConnection().recover(e -> Future.failedFuture(
        Database.unreachable(e) ? new DatabaseUnavailable("no database connection free: " + e.getMessage(), e) : e));
  }

  @Override
  public Query<RowSet<Row>> query(String sql) {
    return new DeadlineQuery<>(pool.query(sql));
  }

  @Override
  public PreparedQuery<RowSet<Row>> preparedQuery(String sql) {
    return new DeadlinePreparedQuery<>(pool.preparedQuery(sql));
  }

  @Override
  public PreparedQuery<RowSet<Row>> preparedQuery(String sql, PrepareOptions options) {
    return new DeadlinePreparedQuery<>(pool.preparedQuery(sql, options));
  }

  @Override
  public <T> Future<T> withTransaction(Function<SqlConnection, Future<T>> work) {
    return deadline(pool.withTransaction(work));
  }

  @Override
  public <T> Future<T> withTransaction(TransactionPropagation propagation, Function<SqlConnection, Future<T>> work) {
    return deadline(pool.withTransaction(propagation, work));
  }

  @Override
  public <T> Future<T> withConnection(Function<SqlConnection, Future<T>> work) {
    return deadline(pool.withConnection(work));
  }

  @Override
  public int size() {
    return pool.size();
  }

  @Override
  public Future<Void> close() {
    return pool.close();
  }

  private class DeadlineQuery<T> implements Query<T> {
    private final Query<T> query;

    DeadlineQuery(Query<T> query) {
      this.query = query;
    }

    @Override
    public Future<T> execute() {
      return deadline(query.execute());
    }

    @Override
    public <R> Query<SqlResult<R>> collecting(Collector<Row, ?, R> collector) {
      return new DeadlineQuery<>(query.collecting(collector));
    }

    @Override
    public <U> Query<RowSet<U>> mapping(Function<Row, U> mapper) {
      return new DeadlineQuery<>(query.mapping(mapper));
    }
  }

  private class DeadlinePreparedQuery<T> implements PreparedQuery<T> {
    private final PreparedQuery<T> query;

    DeadlinePreparedQuery(PreparedQuery<T> query) {
      this.query = query;
    }

    @Override
    public Future<T> execute() {
      return deadline(query.execute());
    }

    @Override
    public Future<T> execute(io.vertx.sqlclient.Tuple tuple) {
      return deadline(query.execute(tuple));
    }

    @Override
    public Future<T> executeBatch(List<io.vertx.sqlclient.Tuple> batch) {
      return deadline(query.executeBatch(batch));
    }

    @Override
    public <R> PreparedQuery<SqlResult<R>> collecting(Collector<Row, ?, R> collector) {
      return new DeadlinePreparedQuery<>(query.collecting(collector));
    }

    @Override
    public <U> PreparedQuery<RowSet<U>> mapping(Function<Row, U> mapper) {
      return new DeadlinePreparedQuery<>(query.mapping(mapper));
    }
  }
}
