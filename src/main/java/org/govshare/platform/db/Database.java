package org.govshare.platform.db;

import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import org.govshare.platform.config.GovshareConfig.DbUrl;

public final class Database {
  private Database() {}

  public static Pool pool(Vertx vertx, DbUrl url, int size) {
    PgConnectOptions connect = new PgConnectOptions()
        .setHost(url.host())
        .setPort(url.port())
        .setDatabase(url.database())
        .setUser(url.user())
        .setPassword(url.password())
        // off by default; re-parsing every statement halves throughput (NOTES.md)
        .setCachePreparedStatements(true)
        .setPreparedStatementCacheMaxSize(512);
    PoolOptions pool = new PoolOptions().setMaxSize(size).setShared(false).setName("govshare");
    return PgBuilder.pool().with(pool).connectingTo(connect).using(vertx).build();
  }
}
