package org.govshare.platform.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
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
    Optional<Path> calendarDir,
    SharingConfig sharing,
    DataPlaneConfig dataPlane,
    ClusterConfig cluster,
    SupervisionConfig supervision) {

  /**
   * Request bodies: {@code bodyLimitBytes} for ordinary JSON operations, {@code smallBodyLimitBytes}
   * for token requests, {@code largeBodyLimitBytes} for catalogue entries; bodies above
   * {@code workerParseBytes} are parsed on a worker; {@code bodyMemoryBytes} caps the bodies one
   * process holds at once (beyond it: 503 with Retry-After).
   */
  public record HttpConfig(String host, int port, int instances, long bodyLimitBytes, int shutdownGraceSeconds,
      long smallBodyLimitBytes, long largeBodyLimitBytes, long workerParseBytes, long bodyMemoryBytes, int maxHeaderBytes) {}

  /**
   * {@code url} empty means: start an embedded PostgreSQL under the data directory, durable unless
   * {@code embeddedDurable} is false (tests only: a crash may lose answered commits).
   */
  public record DatabaseConfig(Optional<DbUrl> url, int poolSize, int embeddedPort, boolean embeddedDurable, PoolLimits limits) {}

  /** How long callers wait on a database that does not answer before they get a 503. */
  public record PoolLimits(int size, int connectTimeoutMs, int waitTimeoutMs, int waitQueueSize, int queryTimeoutMs) {
    public static PoolLimits defaults(int size) {
      return new PoolLimits(size, 3_000, 3_000, 1_024, 5_000);
    }
  }

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
      int hashIterations,
      LoginLimits login) {
    @Override
    public String toString() {
      return "IdentityConfig[adminSecret=" + (adminSecret.isPresent() ? "***" : "<generated>") + ", bureauCode=" + bureauCode
          + ", tokenTtlSeconds=" + tokenTtlSeconds + "]";
    }
  }

  /**
   * What failed token requests may cost, per instance: failures allowed per client id and per source
   * address within {@code windowSeconds}; secret checks queued or running at once, in all and per
   * address; how long identical
   * unauthenticated refusals are gathered into one audit record.
   */
  public record LoginLimits(int failuresPerClient, int failuresPerAddress, int windowSeconds, int maxPendingChecks,
      int maxPendingPerAddress, int refusalAuditSeconds) {}

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

  /**
   * {@code members} empty: standalone. Otherwise Hazelcast joins these {@code host:port} members over
   * TCP (this one included or not), listening on {@code host:port} itself; {@code leaseMs} is how long a
   * node serves from its caches after its last heartbeat, and the longest a write waits for an
   * instance that does not answer its invalidation.
   */
  public record ClusterConfig(List<String> members, String host, int port, String name, long heartbeatMs, long leaseMs) {
    public boolean clustered() {
      return !members.isEmpty();
    }
  }

  /** {@code weightsFile}: the evaluation's weights; empty means the {@code conf/evaluation.properties} shipped in the jar. */
  public record SupervisionConfig(Optional<Path> weightsFile) {}

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
            s.integer("http.shutdown-grace-seconds", 0, 600),
            s.longValue("http.body-limit-small-bytes", 256, 1L << 20),
            s.longValue("http.body-limit-large-bytes", 1024, 1L << 31),
            s.longValue("http.body-worker-parse-bytes", 0, 1L << 31),
            s.longValue("http.body-memory-bytes", 1L << 20, 1L << 40),
            s.integer("http.max-header-bytes", 1024, 1 << 20)),
        new DatabaseConfig(
            dbUrl.isEmpty() ? Optional.empty() : Optional.of(DbUrl.parse(dbUrl)),
            s.integer("db.pool-size", 1, 512),
            s.integer("db.embedded-port", 0, 65535),
            s.bool("db.embedded-durable"),
            new PoolLimits(
                s.integer("db.pool-size", 1, 512),
                s.integer("db.connect-timeout-ms", 100, 600_000),
                s.integer("db.pool-wait-timeout-ms", 100, 600_000),
                s.integer("db.pool-wait-queue-size", 1, 1_000_000),
                s.integer("db.query-timeout-ms", 100, 86_400_000))),
        new IdentityConfig(
            adminSecret.isEmpty() ? Optional.empty() : Optional.of(adminSecret),
            s.string("bureau.code"),
            s.string("bureau.name"),
            s.integer("token.ttl-seconds", 60, 86_400),
            s.integer("token.cache-size", 100, 10_000_000),
            s.longValue("token.revocation-poll-ms", 100, 60_000),
            s.integer("secret.hash-iterations", 1_000, 10_000_000),
            new LoginLimits(
                s.integer("auth.max-failures-per-client", 1, 1_000_000),
                s.integer("auth.max-failures-per-address", 1, 1_000_000),
                s.integer("auth.failure-window-seconds", 1, 86_400),
                s.integer("auth.max-pending-secret-checks", 1, 10_000),
                s.integer("auth.max-pending-per-address", 1, 10_000),
                s.integer("auth.refusal-audit-seconds", 1, 3_600))),
        new AuditConfig(s.integer("audit.batch-max", 1, 10_000)),
        Path.of(s.string("data.dir")).toAbsolutePath().normalize(),
        zone,
        s.string("calendar.dir").isEmpty() ? Optional.empty() : Optional.of(Path.of(s.string("calendar.dir")).toAbsolutePath().normalize()),
        new SharingConfig(
            s.integer("sharing.decision-working-days", 1, 60),
            s.longValue("sharing.clock-period-ms", 100, 86_400_000),
            s.longValue("sharing.poll-ms", 100, 60_000)),
        new DataPlaneConfig(
            s.longValue("ingest.max-bytes", 1024, 1L << 40),
            s.longValue("ingest.max-lines", 1, 1_000_000_000),
            s.integer("ingest.max-line-bytes", 256, 16 * 1024 * 1024),
            s.integer("ingest.batch-rows", 1, 10_000),
            s.integer("ingest.errors-listed", 0, 10_000)),
        cluster(s),
        new SupervisionConfig(s.string("evaluation.weights-file").isEmpty() ? Optional.empty()
            : Optional.of(Path.of(s.string("evaluation.weights-file")).toAbsolutePath().normalize())));
  }

  private static ClusterConfig cluster(Settings s) {
    List<String> members = new ArrayList<>();
    for (String m : s.string("cluster.members").split(",")) {
      String member = m.trim();
      if (member.isEmpty()) {
        continue;
      }
      int colon = member.lastIndexOf(':');
      if (colon <= 0 || !member.substring(colon + 1).matches("[0-9]{1,5}") || Integer.parseInt(member.substring(colon + 1)) > 65535) {
        throw new IllegalStateException("cluster.members (GOVSHARE_CLUSTER_MEMBERS) must be host:port, comma-separated; got '" + member + "'");
      }
      members.add(member);
    }
    long heartbeat = s.longValue("cluster.heartbeat-ms", 50, 10_000);
    long lease = s.longValue("cluster.lease-ms", 100, 10_000);
    if (lease <= heartbeat * 2) {
      throw new IllegalStateException("cluster.lease-ms must be more than twice cluster.heartbeat-ms, or leases lapse between heartbeats");
    }
    String name = s.string("cluster.name");
    if (name.isEmpty()) {
      throw new IllegalStateException("cluster.name (GOVSHARE_CLUSTER_NAME) must not be empty");
    }
    return new ClusterConfig(List.copyOf(members), s.string("cluster.host"), s.integer("cluster.port", 1, 65535), name, heartbeat, lease);
  }

  public static GovshareConfig fromEnvironment() {
    return from(Settings.load(System.getenv()));
  }

  public static GovshareConfig with(Map<String, String> overrides) {
    return from(Settings.of(overrides));
  }
}
