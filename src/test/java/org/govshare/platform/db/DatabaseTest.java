package org.govshare.platform.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.VertxException;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.net.ConnectException;
import org.junit.jupiter.api.Test;

class DatabaseTest {

  @Test
  void unreachable_coversStallsAndLostConnections_notStatementErrors() {
    assertThat(Database.unreachable(new DatabaseUnavailable("no answer", null))).isTrue();
    assertThat(Database.unreachable(new VertxException("Timeout waiting for connection", true))).isTrue();
    assertThat(Database.unreachable(new ConnectionPoolTooBusyException("Connection pool reached max wait queue size of 1"))).isTrue();
    assertThat(Database.unreachable(ClosedConnectionException.INSTANCE)).isTrue();
    assertThat(Database.unreachable(new RuntimeException("wrapped", new ConnectException("Connection refused")))).isTrue();

    assertThat(Database.unreachable(new PgException("duplicate key", "ERROR", "23505", "detail"))).isFalse();
    assertThat(Database.unreachable(new IllegalStateException("Timeout"))).isFalse();
    assertThat(Database.unreachable(null)).isFalse();
  }
}
