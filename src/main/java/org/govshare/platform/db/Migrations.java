package org.govshare.platform.db;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.govshare.platform.config.GovshareConfig.DbUrl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

public final class Migrations {
  private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);

  private Migrations() {}

  /** Blocking (JDBC): run before the HTTP verticles are deployed, off any event loop. */
  /** Returns the schema version the database is at afterwards. */
  public static String apply(DbUrl url) {
    Flyway flyway = Flyway.configure()
        .dataSource(url.jdbcUrl(), url.user(), url.password())
        .locations("classpath:db/migration")
        .load();
    MigrateResult result = flyway.migrate();
    String version = flyway.info().current() == null ? "none" : flyway.info().current().getVersion().getVersion();
    LOG.info("database schema at version {} ({} migrations applied now)", version, result.migrationsExecuted);
    return version;
  }
}
