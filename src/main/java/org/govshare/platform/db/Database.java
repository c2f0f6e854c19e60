package org.govshare.platform.db;

import io.vertx.core.Vertx;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.core.net.NetClientOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.ClosedConnectionException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.net.ConnectException;
import java.util.concurrent.TimeUnit;
import org.govshare.platform.config.GovshareConfig.DbUrl;
import org.govshare.platform.config.GovshareConfig.PoolLimits;

public final class Database {
  private Database() {}

  public static Pool pool(Vertx vertx, DbUrl url, int size) {
    return pool(vertx, url, PoolLimits.defaults(size));
  }

  /**
   * A stalled database must not hold callers: each query and transaction has a deadline of
   * {@code queryTimeoutMs}, and a caller waits for a free connection at most {@code waitTimeoutMs},
   * behind at most {@code waitQueueSize} others. Failures of that kind arrive as {@link DatabaseUnavailable}.
   */
  public static Pool pool(Vertx vertx, DbUrl url, PoolLimits limits) {
    PgConnectOptions connect = new PgConnectOptions()
        .setHost(url.host())
        .setPort(url.port())
        .setDatabase(url.database())
        .setUser(url.user())
        .setPassword(url.password())
        // off by default; re-parsing every statement halves throughput
        .setCachePreparedStatements(true)
        .setPreparedStatementCacheMaxSize(512);
    PoolOptions pool = new PoolOptions()
        .setMaxSize(limits.size())
        .setShared(false)
        .setName("govshare")
        .setConnectionTimeout(limits.waitTimeoutMs())
        .setConnectionTimeoutUnit(TimeUnit.MILLISECONDS)
        .setMaxWaitQueueSize(limits.waitQueueSize());
    NetClientOptions net = new NetClientOptions()
        .setConnectTimeout(limits.connectTimeoutMs())
        .setTcpKeepAlive(true);
    return new DeadlinePool(PgBuilder.pool().with(pool).with(net).connectingTo(connect).using(vertx).build(), limits.queryTimeoutMs());
  }

  /** True when a failure means the database could not be reached in time (not that a statement was wrong): a 503, worth a retry. */
  public static boolean unreachable(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof DatabaseUnavailable || t instanceof ClosedConnectionException || t instanceof ConnectionPoolTooBusyException
          || t instanceof ConnectException) {
        return true;
      }
      // the pool's own wait timeout is a bare exception with this message
      if (t.getMessage() != null && (t.getMessage().equals("Timeout") || t.getMessage().startsWith("Timeout waiting for connection"))
          && t.getClass().getName().startsWith("io.vertx.")) {
        return true;
      }
    }
    return false;
  }
}
