package org.govshare.platform.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;

/** The whole configuration, parsed and checked once at start-up. */
public record GovshareConfig(
    HttpConfig http,
    DatabaseConfig database,
    IdentityConfig identity,
    AuditConfig audit,
    Path dataDir,
    ZoneId timezone,
    Path calendarDir,
    SharingConfig sharing,
    DataPlaneConfig dataPlane) {

  public record HttpConfig(String host, int port, int instances, long bodyLimitBytes, int shutdownGraceSeconds) {}

  /** {@code url} empty means: start an embedded PostgreSQL under the data directory. */
  public record DatabaseConfig(Optional<DbUrl> url, int poolSize, int embeddedPort) {}

  public record DbUrl(String host, int port, String database, String user, String password) {
    public static DbUrl parse(String raw) {
      URI uri;
      try {
        uri = URI.create(raw.replaceFirst("^postgres(ql)?://", "postgresql://"));
      } catch (IllegalArgumentException e) {
        throw new IllegalStateException("GOVSHARE_DB_URL is not a valid URL: " + e.getMessage());
      }
      if (!"postgresql".equals(uri.getScheme()) || uri.getHost() == null) {
        throw new IllegalStateException("GOVSHARE_DB_URL must look like postgresql://user:pass@host:port/db");
      }
      String user = "postgres";
      String password = "";
      if (uri.getRawUserInfo() != null) {
        String[] parts = uri.getRawUserInfo().split(":", 2);
        user = java.net.URLDecoder.decode(parts[0], java.nio.charset.StandardCharsets.UTF_8);
        if (parts.length > 1) {
          password = java.net.URLDecoder.decode(parts[1], java.nio.charset.StandardCharsets.UTF_8);
        }
      }
      String db = uri.getPath() == null || uri.getPath().length() <= 1 ? "postgres" : uri.getPath().substring(1);
      return new DbUrl(uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(), db, user, password);
    }

    public String jdbcUrl() {
      return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    @Override
    public String toString() {
      return "postgresql://" + user + ":***@" + host + ":" + port + "/" + database;
    }
  }

  public record IdentityConfig(
      Optional<String> adminSecret,
      String bureauCode,
      String bureauName,
      int tokenTtlSeconds,
      int tokenCacheSize,
      long revocationPollMs,
      int hashIterations) {
    @Override
    public String toString() {
      return "IdentityConfig[adminSecret=" + (adminSecret.isPresent() ? "***" : "<generated>") + ", bureauCode=" + bureauCode
          + ", tokenTtlSeconds=" + tokenTtlSeconds + "]";
    }
  }

  public record AuditConfig(int batchMax) {}

  /**
   * {@code decisionWorkingDays}: the provider's decision clock (notice rule 6: 5). {@code clockPeriodMs}:
   * how often the job flags overdue applications and expires grants. {@code pollMs}: how often each
   * instance reads grant and calendar changes made on other instances.
   */
  public record SharingConfig(int decisionWorkingDays, long clockPeriodMs, long pollMs) {}

  /**
   * NDJSON ingestion bounds: bytes and lines per upload, bytes per line (a longer line is refused
   * without being held), rows per batch transaction, and how many line errors a reply lists.
   */
  public record DataPlaneConfig(long ingestMaxBytes, long ingestMaxLines, int ingestMaxLineBytes, int ingestBatchRows,
      int ingestErrorsListed) {}

  public static GovshareConfig from(Settings s) {
    String dbUrl = s.string("db.url");
    String adminSecret = s.string("admin.secret");
    ZoneId zone;
    try {
      zone = ZoneId.of(s.string("timezone"));
    } catch (DateTimeException e) {
      throw new IllegalStateException("timezone (GOVSHARE_TIMEZONE) is not a known zone: " + s.string("timezone"));
    }
    return new GovshareConfig(
        new HttpConfig(
            s.string("http.host"),
            s.integer("http.port", 0, 65535),
            s.integer("http.instances", 0, 256),
            s.longValue("http.body-limit-bytes", 1024, 1L << 31),
            s.integer("http.shutdown-grace-seconds", 0, 600)),
        new DatabaseConfig(
            dbUrl.isEmpty() ? Optional.empty() : Optional.of(DbUrl.parse(dbUrl)),
            s.integer("db.pool-size", 1, 512),
            s.integer("db.embedded-port", 0, 65535)),
        new IdentityConfig(
            adminSecret.isEmpty() ? Optional.empty() : Optional.of(adminSecret),
            s.string("bureau.code"),
            s.string("bureau.name"),
            s.integer("token.ttl-seconds", 60, 86_400),
            s.integer("token.cache-size", 100, 10_000_000),
            s.longValue("token.revocation-poll-ms", 100, 60_000),
            s.integer("secret.hash-iterations", 1_000, 10_000_000)),
        new AuditConfig(s.integer("audit.batch-max", 1, 10_000)),
        Path.of(s.string("data.dir")).toAbsolutePath().normalize(),
        zone,
        Path.of(s.string("calendar.dir")),
        new SharingConfig(
            s.integer("sharing.decision-working-days", 1, 60),
            s.longValue("sharing.clock-period-ms", 100, 86_400_000),
            s.longValue("sharing.poll-ms", 100, 60_000)),
        new DataPlaneConfig(
            s.longValue("ingest.max-bytes", 1024, 1L << 40),
            s.longValue("ingest.max-lines", 1, 1_000_000_000),
            s.integer("ingest.max-line-bytes", 256, 16 * 1024 * 1024),
            s.integer("ingest.batch-rows", 1, 10_000),
            s.integer("ingest.errors-listed", 0, 10_000)));
  }

  public static GovshareConfig fromEnvironment() {
    return from(Settings.load(System.getenv()));
  }

  public static GovshareConfig with(Map<String, String> overrides) {
    return from(Settings.of(overrides));
  }
}
