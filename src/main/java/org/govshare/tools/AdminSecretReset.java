package org.govshare.tools;

import org.govshare.identity.TokenService;
import org.govshare.identity.SecretHasher;
import org.govshare.identity.PgIdentityStore;
import org.govshare.identity.IdentityService;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.govshare.audit.AuditWriter;
import org.govshare.platform.cluster.Invalidation;
import org.govshare.platform.config.GovshareConfig;
import org.govshare.platform.config.GovshareConfig.DbUrl;
import org.govshare.platform.db.Database;
import org.govshare.platform.db.EmbeddedDatabase;
import org.govshare.platform.db.Migrations;

/**
 * {@code java -jar target/govshare.jar reset-admin-secret}: the way back in when every admin
 * credential is lost. Run on the server machine with the server's configuration, against the
 * embedded database while the server is stopped, or against GOVSHARE_DB_URL at any time (running
 * instances see the change at their next poll). The new secret goes to {@code admin-secret.txt}
 * (0600) in the data directory, never to the console or the log; the reset is audited.
 */
public final class AdminSecretReset {
  private AdminSecretReset() {}

  public static void main(String[] args) throws Exception {
    GovshareConfig config;
    try {
      config = GovshareConfig.fromEnvironment();
    } catch (IllegalStateException e) {
      System.err.println("govshare: configuration error: " + e.getMessage());
      System.exit(2);
      return;
    }
    try {
      Path file = run(config);
      System.out.println("the secret of client 'admin' was reset; it is in " + file + " (readable by its owner only)");
    } catch (IllegalStateException e) {
      System.err.println("govshare: " + e.getMessage());
      System.exit(1);
    }
  }

  /** Blocking. Returns the file holding the new secret. */
  public static Path run(GovshareConfig config) throws Exception {
    EmbeddedDatabase embedded = null;
    DbUrl url;
    if (config.database().url().isPresent()) {
      url = config.database().url().get();
    } else {
      refuseIfRunning(config.dataDir());
      Files.createDirectories(config.dataDir());
      embedded = EmbeddedDatabase.start(config.dataDir(), config.database().embeddedPort());
      url = embedded.url();
    }
    Vertx vertx = null;
    Pool pool = null;
    try {
      Migrations.apply(url);
      vertx = Vertx.vertx();
      pool = Database.pool(vertx, url, 2);
      AuditWriter audit = new AuditWriter(vertx, pool, config.audit().batchMax(), new SimpleMeterRegistry(), config.dataDir());
      PgIdentityStore store = new PgIdentityStore(pool);
      SecretHasher hasher = new SecretHasher(config.identity().hashIterations());
      // not a member of a running cluster: its instances read the reset at their next poll of client states
      TokenService tokens = new TokenService(vertx, store, hasher, audit, config.identity(), new SimpleMeterRegistry(), Invalidation.none(vertx));
      IdentityService identity = new IdentityService(vertx, store, hasher, tokens, config.identity());
      Path file = await(identity.bootstrap(config.dataDir()).compose(v -> identity.resetAdminSecret(config.dataDir())));
      await(audit.drain());
      return file;
    } finally {
      if (pool != null) {
        await(pool.close());
      }
      if (vertx != null) {
        await(vertx.close());
      }
      if (embedded != null) {
        embedded.close();
      }
    }
  }

  // a second postmaster on the same files would fail anyway, later and less clearly
  private static void refuseIfRunning(Path dataDir) throws java.io.IOException {
    Path pid = dataDir.resolve("pg").resolve("postmaster.pid");
    if (!Files.exists(pid)) {
      return;
    }
    String first = Files.readAllLines(pid).stream().findFirst().orElse("").trim();
    try {
      if (ProcessHandle.of(Long.parseLong(first)).map(ProcessHandle::isAlive).orElse(false)) {
        throw new IllegalStateException("the embedded database of " + dataDir + " is running (postmaster pid " + first
            + "): stop the server first, or set GOVSHARE_DB_URL");
      }
    } catch (NumberFormatException e) {
      // not a pid file we understand: let PostgreSQL decide
    }
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
  }
}
