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
    RateLimitConfig rateLimit,
    ProxyConfig proxy,
    RecordCacheConfig recordCache,
    PushConfig push,
    WebhookConfig webhook,
    ObjectionConfig objection,
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
   * The record cache of HOSTED records on the read path (ADR 0009): {@code enabled} false reads every
   * record from PostgreSQL; {@code maxEntries} per instance; {@code ttlSeconds} bounds how long an
   * unread entry keeps memory (exactness does not depend on it); {@code pollMs}: standalone, how often
   * an instance reads record changes made by other instances on its database; {@code timeoutMs}:
   * clustered, how long a cache operation may take before a read goes to the database and a write
   * falls back to the lease.
   */
  public record RecordCacheConfig(boolean enabled, long maxEntries, long ttlSeconds, long pollMs, long timeoutMs) {}

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

  /**
   * The default limit of each department's data calls (the bureau sets others per department), and
   * how long a clustered instance waits for the cluster's bucket before limiting with its own share.
   */
  public record RateLimitConfig(int requestsPerSecond, int burst, long clusterTimeoutMs) {}

  /**
   * Calls to providers' interfaces (PROXY resources). {@code allowedHosts}: {@code host} or
   * {@code host:port} entries an endpoint must match (empty: no proxied calls at all).
   * {@code responseTimeoutMs} bounds a whole data operation's provider calls, waiting for a permit
   * included; per provider at most {@code maxConcurrent} calls run and {@code maxWaiting} wait;
   * a batch lookup runs at most {@code lookupParallelism} of its calls at once. The breaker opens
   * after {@code breakerFailures} failures and tries again after {@code breakerResetMs}.
   */
  public record ProxyConfig(List<String> allowedHosts, int connectTimeoutMs, int responseTimeoutMs, int maxResponseBytes,
      int maxConcurrent, int maxWaiting, int lookupParallelism, int breakerFailures, long breakerResetMs) {}

  /**
   * Change feeds (C7): changes older than {@code retentionDays} are purged every {@code purgePeriodMs};
   * an idle stream gets a comment line every {@code heartbeatMs}; a stream whose unsent output stays
   * above {@code maxQueuedBytes} for {@code slowClientMs} is cut off; at most
   * {@code maxStreamsPerDepartment} streams per department on each instance; {@code pageSize} events per read.
   */
  public record PushConfig(int retentionDays, long purgePeriodMs, long heartbeatMs, int maxQueuedBytes, long slowClientMs,
      int maxStreamsPerDepartment, int pageSize) {}

  /**
   * Webhook deliveries: plain-http callback hosts an operator allowed (https is always required
   * elsewhere), subscriptions per department, events per POST, the receiver's connect and whole-reply
   * deadlines and how much of its reply is read, the retry backoff, how long a run of failures lasts
   * before the subscription pauses, the delivery lease one instance holds per subscription and how
   * often each instance sweeps (claims lapsed leases, retries what is due).
   */
  public record WebhookConfig(java.util.Set<String> allowedHttpHosts, int maxPerDepartment, int batchMax, int maxUrlLength,
      long connectTimeoutMs, long responseTimeoutMs, int maxResponseBytes, long retryInitialMs, long retryMaxMs,
      java.time.Duration giveUpAfter, long leaseMs, long sweepMs) {}

  /**
   * {@code answerWorkingDays}: the provider answers an objection within this many working days.
   * {@code clockPeriodMs}: how often overdue objections are flagged. Cross-checks compare
   * {@code crosscheckChunkRows} copy records per statement, keep {@code crosscheckSamples} mismatches
   * per copy, and file at most {@code crosscheckObjectionsPerCall} objections per call.
   */
  public record ObjectionConfig(int answerWorkingDays, long clockPeriodMs, int crosscheckChunkRows, int crosscheckSamples,
      int crosscheckObjectionsPerCall) {}

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
        new RateLimitConfig(
            s.integer("data.rate-limit.requests-per-second", 1, 1_000_000),
            s.integer("data.rate-limit.burst", 1, 10_000_000),
            s.longValue("data.rate-limit.cluster-timeout-ms", 10, 60_000)),
        proxy(s),
        new RecordCacheConfig(
            s.bool("data.cache.enabled"),
            s.longValue("data.cache.max-entries", 100, 100_000_000),
            s.longValue("data.cache.ttl-seconds", 1, 30L * 86_400),
            s.longValue("data.cache.poll-ms", 100, 60_000),
            s.longValue("data.cache.timeout-ms", 10, 10_000)),
        new PushConfig(
            s.integer("push.retention-days", 1, 3_650),
            s.longValue("push.purge-period-ms", 1_000, 86_400_000),
            s.longValue("push.heartbeat-ms", 100, 600_000),
            s.integer("push.max-queued-bytes", 4_096, 64 * 1024 * 1024),
            s.longValue("push.slow-client-ms", 100, 600_000),
            s.integer("push.max-streams-per-department", 1, 100_000),
            s.integer("push.page-size", 1, 10_000)),
        webhook(s),
        new ObjectionConfig(
            s.integer("objection.answer-working-days", 1, 60),
            s.longValue("objection.clock-period-ms", 100, 86_400_000),
            s.integer("crosscheck.chunk-rows", 100, 1_000_000),
            s.integer("crosscheck.samples", 0, 1_000),
            s.integer("crosscheck.objections-per-call", 1, 100_000)),
        new SupervisionConfig(s.string("evaluation.weights-file").isEmpty() ? Optional.empty()
            : Optional.of(Path.of(s.string("evaluation.weights-file")).toAbsolutePath().normalize())));
  }

  private static WebhookConfig webhook(Settings s) {
    java.util.Set<String> hosts = new java.util.TreeSet<>();
    for (String h : s.string("webhook.allowed-http-hosts").split(",")) {
      if (!h.isBlank()) {
        hosts.add(h.trim().toLowerCase(java.util.Locale.ROOT));
      }
    }
    long connect = s.longValue("webhook.connect-timeout-ms", 100, 60_000);
    long response = s.longValue("webhook.response-timeout-ms", 100, 300_000);
    long lease = s.longValue("webhook.lease-ms", 1_000, 3_600_000);
    if (lease <= connect + response) {
      throw new IllegalStateException("webhook.lease-ms must be longer than webhook.connect-timeout-ms + webhook.response-timeout-ms, "
          + "or a delivery could outlive its owner's lease and be sent twice");
    }
    long initial = s.longValue("webhook.retry-initial-ms", 10, 3_600_000);
    long max = s.longValue("webhook.retry-max-ms", 10, 86_400_000);
    if (max < initial) {
      throw new IllegalStateException("webhook.retry-max-ms must not be less than webhook.retry-initial-ms");
    }
    return new WebhookConfig(java.util.Set.copyOf(hosts),
        s.integer("webhook.max-per-department", 1, 100_000),
        s.integer("webhook.batch-max", 1, 1_000),
        s.integer("webhook.max-url-length", 20, 8_192),
        connect, response,
        s.integer("webhook.max-response-bytes", 0, 1 << 20),
        initial, max,
        duration(s, "webhook.give-up-after"),
        lease,
        s.longValue("webhook.sweep-ms", 50, 600_000));
  }

  /** {@code 90s}, {@code 30m}, {@code 24h}, {@code 2d}, or ISO-8601 ({@code PT24H}). */
  static java.time.Duration duration(Settings s, String key) {
    String raw = s.string(key);
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("([0-9]{1,9})(ms|s|m|h|d)").matcher(raw);
    try {
      java.time.Duration d;
      if (m.matches()) {
        long n = Long.parseLong(m.group(1));
        d = switch (m.group(2)) {
          case "ms" -> java.time.Duration.ofMillis(n);
          case "s" -> java.time.Duration.ofSeconds(n);
          case "m" -> java.time.Duration.ofMinutes(n);
          case "h" -> java.time.Duration.ofHours(n);
          default -> java.time.Duration.ofDays(n);
        };
      } else {
        d = java.time.Duration.parse(raw);
      }
      if (d.isNegative() || d.isZero()) {
        throw new IllegalStateException(key + " (" + Settings.envName(key) + ") must be positive, got '" + raw + "'");
      }
      return d;
    } catch (java.time.format.DateTimeParseException e) {
      throw new IllegalStateException(key + " (" + Settings.envName(key) + ") must be a duration such as 90s, 30m, 24h, 2d or PT24H, got '"
          + raw + "'");
    }
  }

  private static ProxyConfig proxy(Settings s) {
    List<String> hosts = new ArrayList<>();
    for (String h : s.string("proxy.allowed-hosts").split(",")) {
      String host = h.trim().toLowerCase(java.util.Locale.ROOT);
      if (host.isEmpty()) {
        continue;
      }
      if (!host.matches("(\\[[0-9a-f:.]+\\]|[a-z0-9]([a-z0-9.-]*[a-z0-9])?)(:[0-9]{1,5})?")) {
        throw new IllegalStateException("proxy.allowed-hosts (GOVSHARE_PROXY_ALLOWED_HOSTS) lists host or host:port, comma-separated; got '"
            + h.trim() + "'");
      }
      hosts.add(host);
    }
    int connect = s.integer("proxy.connect-timeout-ms", 10, 60_000);
    int response = s.integer("proxy.response-timeout-ms", 10, 120_000);
    return new ProxyConfig(List.copyOf(hosts), Math.min(connect, response), response, s.integer("proxy.max-response-bytes", 1024, 16 << 20),
        s.integer("proxy.max-concurrent-per-provider", 1, 10_000), s.integer("proxy.max-waiting-per-provider", 0, 100_000),
        s.integer("proxy.lookup-parallelism", 1, 100), s.integer("proxy.breaker-failures", 1, 1_000),
        s.longValue("proxy.breaker-reset-ms", 100, 3_600_000));
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
