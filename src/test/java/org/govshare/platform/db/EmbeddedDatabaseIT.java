package org.govshare.platform.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.govshare.platform.CannotStart;
import org.govshare.platform.config.GovshareConfig;
import org.govshare.platform.config.GovshareConfig.DbUrl;
import org.govshare.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The embedded PostgreSQL as the server starts it by default: durable, password-protected, loopback only. */
class EmbeddedDatabaseIT {
  private static Path dataDir;
  private static EmbeddedDatabase db;

  @BeforeAll
  static void startInDefaultMode() throws Exception {
    dataDir = TestServer.tempDataDir();
    boolean durableByDefault = GovshareConfig.with(Map.of()).database().embeddedDurable();
    db = EmbeddedDatabase.start(dataDir, 0, durableByDefault);
  }

  @AfterAll
  static void stop() throws Exception {
    db.close();
  }

  @Test
  void defaultMode_isDurableAndListensOnLoopbackOnly() throws Exception {
    try (Connection c = connect(db.url(), db.url().password())) {
      assertThat(show(c, "fsync")).isEqualTo("on");
      assertThat(show(c, "synchronous_commit")).isEqualTo("on");
      assertThat(show(c, "full_page_writes")).isEqualTo("on");
      assertThat(show(c, "listen_addresses")).isEqualTo("127.0.0.1");
      assertThat(show(c, "unix_socket_directories")).isEmpty();
    }
  }

  @Test
  void connecting_withoutOrWithAWrongPassword_isRefused() {
    assertThatThrownBy(() -> connect(db.url(), null).close()).isInstanceOf(SQLException.class);
    assertThatThrownBy(() -> connect(db.url(), "not-the-password").close())
        .isInstanceOf(SQLException.class).hasMessageContaining("password authentication failed");
  }

  @Test
  void hba_trustsNobody() throws Exception {
    List<String> rules = Files.readAllLines(dataDir.resolve("pg/pg_hba.conf")).stream()
        .filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
    assertThat(rules).containsExactly("host all all 127.0.0.1/32 scram-sha-256");
  }

  @Test
  void passwordFile_isReadableByItsOwnerOnly() throws Exception {
    Path file = dataDir.resolve(EmbeddedDatabase.PASSWORD_FILE);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    assertThat(Files.readString(file).trim()).isEqualTo(db.url().password()).hasSizeGreaterThanOrEqualTo(40);
  }

  @Test
  void aSecondServer_onTheSameDataDirectory_getsOneClearLine() {
    assertThatThrownBy(() -> EmbeddedDatabase.start(dataDir, 0, false))
        .isInstanceOf(CannotStart.class)
        .hasMessageContaining("is in use by another govshare server")
        .hasMessageContaining(dataDir.toString());
  }

  @Test
  void testMode_isChosenExplicitly_andIsNotDurable() throws Exception {
    try (EmbeddedDatabase fast = EmbeddedDatabase.start(TestServer.tempDataDir(), 0, false);
        Connection c = connect(fast.url(), fast.url().password())) {
      assertThat(show(c, "fsync")).isEqualTo("off");
      assertThat(show(c, "synchronous_commit")).isEqualTo("off");
    }
  }

  @Test
  void aDirectoryMadeByTheOldCode_keepsItsData_andGetsAPassword() throws Exception {
    Path old = TestServer.tempDataDir();
    // what govshare did before: zonky's defaults, trust authentication
    EmbeddedPostgres before = EmbeddedPostgres.builder().setDataDirectory(old.resolve("pg")).setCleanDataDirectory(false).start();
    try (Connection c = before.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE kept (v text); INSERT INTO kept VALUES ('before the upgrade')");
    }
    before.close();

    try (EmbeddedDatabase upgraded = EmbeddedDatabase.start(old, 0, false)) {
      try (Connection c = connect(upgraded.url(), upgraded.url().password()); Statement s = c.createStatement();
          ResultSet r = s.executeQuery("SELECT v FROM kept")) {
        assertThat(r.next()).isTrue();
        assertThat(r.getString(1)).isEqualTo("before the upgrade");
      }
      assertThatThrownBy(() -> connect(upgraded.url(), null).close()).isInstanceOf(SQLException.class);
      assertThat(Files.readString(old.resolve(EmbeddedDatabase.PASSWORD_FILE)).trim()).isEqualTo(upgraded.url().password());
    }
    try (EmbeddedDatabase again = EmbeddedDatabase.start(old, 0, false);
        Connection c = connect(again.url(), again.url().password())) {
      assertThat(show(c, "listen_addresses")).isEqualTo("127.0.0.1");
    }
  }

  @Test
  void aPostmasterOrphanedByKill9_isStoppedAndTheNextStartSucceeds() throws Exception {
    Path dir = TestServer.tempDataDir();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), HoldEmbeddedDatabase.class.getName(),
        dir.toString()).redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (!Files.readString(dir.resolve("child.log"), StandardCharsets.UTF_8).contains(HoldEmbeddedDatabase.READY)) {
        assertThat(child.isAlive()).as("child started its database: %s", Files.readString(dir.resolve("child.log"))).isTrue();
        assertThat(System.nanoTime()).as("child ready within 120 s").isLessThan(deadline);
        Thread.sleep(200);
      }
    } finally {
      child.destroyForcibly().waitFor(); // kill -9: its postmaster lives on
    }
    long orphan = StalePostmaster.pid(dir.resolve("pg")).orElseThrow();
    assertThat(ProcessHandle.of(orphan).map(ProcessHandle::isAlive)).contains(true);

    try (EmbeddedDatabase next = EmbeddedDatabase.start(dir, 0, false);
        Connection c = connect(next.url(), next.url().password())) {
      assertThat(ProcessHandle.of(orphan).map(ProcessHandle::isAlive).orElse(false)).isFalse();
      assertThat(next.pid()).isNotEqualTo(orphan);
      assertThat(show(c, "listen_addresses")).isEqualTo("127.0.0.1");
    }
  }

  /** Run in a child JVM that the test then kills with SIGKILL. */
  public static final class HoldEmbeddedDatabase {
    static final String READY = "EMBEDDED-DATABASE-READY";

    public static void main(String[] args) throws Exception {
      EmbeddedDatabase.start(Path.of(args[0]), 0, false);
      System.out.println(READY);
      System.out.flush();
      Thread.sleep(Long.MAX_VALUE);
    }
  }

  private static Connection connect(DbUrl url, String password) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", url.user());
    if (password != null) {
      p.setProperty("password", password);
    }
    return DriverManager.getConnection(url.jdbcUrl(), p);
  }

  private static String show(Connection c, String setting) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SHOW " + setting)) {
      r.next();
      return r.getString(1);
    }
  }

}
