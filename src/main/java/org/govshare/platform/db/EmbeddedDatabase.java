package org.govshare.platform.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.govshare.platform.config.GovshareConfig.DbUrl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL server run by govshare itself, its files under the data directory so they survive
 * restarts. It listens on 127.0.0.1 only and asks for the password kept in {@code pg-password.txt};
 * in durable mode (the default) a commit is on disk before it is answered.
 */
public final class EmbeddedDatabase implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDatabase.class);
  static final String SUPERUSER = "postgres";
  static final String HOST = "127.0.0.1";
  static final String PASSWORD_FILE = "pg-password.txt";

  // zonky's initdb says "trust"; this file replaces its pg_hba.conf at every start
  static final String HBA_PASSWORD = """
      # Written by govshare at every start of the embedded PostgreSQL: edits here are overwritten.
      # Loopback TCP only, with the password in the data directory's pg-password.txt. No Unix socket.
      host all all 127.0.0.1/32 scram-sha-256
      """;
  // only while a data directory made before passwords existed gets its password (one start)
  private static final String HBA_UPGRADE = """
      # Written by govshare while setting the password of a data directory made before passwords.
      host all all 127.0.0.1/32 trust
      """;

  private final EmbeddedPostgres postgres;
  private final String password;
  private final DataDirectoryLock lock;

  private EmbeddedDatabase(EmbeddedPostgres postgres, String password, DataDirectoryLock lock) {
    this.postgres = postgres;
    this.password = password;
    this.lock = lock;
  }

  /** Durable. Blocking: call from main or a worker, never from an event loop. */
  public static EmbeddedDatabase start(Path dataDir, int port) throws IOException {
    return start(dataDir, port, true);
  }

  /** Blocking: call from main or a worker, never from an event loop. */
  public static EmbeddedDatabase start(Path dataDir, int port, boolean durable) throws IOException {
    DataDirectoryLock lock = DataDirectoryLock.acquire(dataDir);
    try {
      return start(dataDir, port, durable, lock);
    } catch (IOException | RuntimeException | Error e) {
      lock.close();
      throw e;
    }
  }

  private static EmbeddedDatabase start(Path dataDir, int port, boolean durable, DataDirectoryLock lock) throws IOException {
    Path pgData = dataDir.resolve("pg");
    Files.createDirectories(pgData);
    StalePostmaster.stopIfRunning(pgData);
    Path passwordFile = dataDir.resolve(PASSWORD_FILE);
    boolean fresh = !Files.exists(pgData.resolve("postgresql.conf"));
    boolean upgrade = !fresh && !Files.exists(passwordFile);
    String password = upgrade ? SecretFile.generate() : SecretFile.readOrCreate(passwordFile);

    EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
        .setDataDirectory(pgData)
        .setCleanDataDirectory(false)
        // Platform.stop closes it after the pool; zonky's own hook could stop it under live connections
        .setRegisterShutdownHook(false)
        .setPGStartupWait(Duration.ofSeconds(120))
        .setServerConfig("listen_addresses", HOST)
        .setServerConfig("unix_socket_directories", "")
        .setServerConfig("password_encryption", "scram-sha-256")
        .setServerConfig("max_connections", "200")
        .setServerConfig("shared_buffers", "128MB")
        // zonky passes -F (fsync off) and synchronous_commit=off; these later settings win
        .setServerConfig("fsync", durable ? "on" : "off")
        .setServerConfig("synchronous_commit", durable ? "on" : "off")
        .setServerConfig("full_page_writes", durable ? "on" : "off")
        .setConnectConfig("password", password)
        .setDataDirectoryCustomizer(dir -> writeHba(dir.toPath(), upgrade ? HBA_UPGRADE : HBA_PASSWORD));
    if (fresh) {
      // zonky runs initdb with these after its own "-A trust": later options win
      builder.setLocaleConfig("auth", "scram-sha-256").setLocaleConfig("pwfile", passwordFile.toString());
    }
    if (port > 0) {
      builder.setPort(port);
    }
    EmbeddedPostgres pg = builder.start();
    EmbeddedDatabase db = new EmbeddedDatabase(pg, password, lock);
    if (upgrade) {
      db.setPasswordOnOldDirectory(pgData, passwordFile);
    }
    LOG.info("embedded PostgreSQL started on {}:{} with data in {} ({})", HOST, pg.getPort(), pgData,
        durable ? "durable: fsync and synchronous commit on" : "NOT durable: fsync and synchronous commit off");
    return db;
  }

  private void setPasswordOnOldDirectory(Path pgData, Path passwordFile) throws IOException {
    try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
      // base64url: nothing in it needs quoting
      s.execute("ALTER ROLE " + SUPERUSER + " PASSWORD '" + password + "'");
      SecretFile.write(passwordFile, password);
      writeHba(pgData, HBA_PASSWORD);
      s.execute("SELECT pg_reload_conf()");
    } catch (SQLException e) {
      close();
      throw new IOException("could not set a password on the embedded database in " + pgData + ": " + e.getMessage(), e);
    }
    LOG.warn("the embedded database in {} allowed connections without a password (made by an older govshare);"
        + " it now requires the generated password kept in {}", pgData, passwordFile);
  }

  private static void writeHba(Path pgData, String content) {
    try {
      Files.writeString(pgData.resolve("pg_hba.conf"), content, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + pgData.resolve("pg_hba.conf"), e);
    }
  }

  public DbUrl url() {
    return new DbUrl(HOST, postgres.getPort(), SUPERUSER, SUPERUSER, password);
  }

  /** The postmaster's process id (from its postmaster.pid), e.g. for a test that freezes the database. */
  public long pid() {
    return StalePostmaster.pid(lock.directory().resolve("pg"))
        .orElseThrow(() -> new IllegalStateException("the embedded database has no postmaster.pid"));
  }

  @Override
  public void close() throws IOException {
    try {
      postgres.close();
      LOG.info("embedded PostgreSQL stopped");
    } finally {
      lock.close();
    }
  }
}
