package org.govshare;

import org.govshare.platform.Times;
import org.govshare.platform.Periodic;
import org.govshare.platform.CannotStart;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import org.govshare.platform.metrics.MetricsRegistry;
import io.vertx.sqlclient.Pool;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.EnumSet;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.govshare.access.AccessService;
import org.govshare.access.DataRoutes;
import org.govshare.access.CachingRecordStore;
import org.govshare.access.HazelcastRecordCache;
import org.govshare.access.LocalRecordCache;
import org.govshare.access.PgRateLimitStore;
import org.govshare.access.PgRecordStore;
import org.govshare.access.ProviderInterfaceSource;
import org.govshare.access.RateLimitRoutes;
import org.govshare.access.RateLimits;
import org.govshare.access.RecordCache;
import org.govshare.access.RecordSource;
import org.govshare.access.RecordStore;
import org.govshare.audit.AuditRoutes;
import org.govshare.audit.AuditService;
import org.govshare.audit.AuditWriter;
import org.govshare.audit.PgAuditStore;
import org.govshare.catalog.CatalogRoutes;
import org.govshare.catalog.CatalogService;
import org.govshare.catalog.PgCatalogStore;
import org.govshare.identity.AnonymousRefusals;
import org.govshare.identity.Authenticator;
import org.govshare.identity.IdentityRoutes;
import org.govshare.identity.IdentityService;
import org.govshare.identity.PgIdentityStore;
import org.govshare.identity.SecretHasher;
import org.govshare.identity.TokenService;
import org.govshare.platform.cluster.Cluster;
import org.govshare.platform.cluster.Invalidation;
import org.govshare.platform.cluster.RateLimiter;
import org.govshare.platform.config.GovshareConfig;
import org.govshare.platform.config.GovshareConfig.DbUrl;
import org.govshare.platform.db.Database;
import org.govshare.platform.db.EmbeddedDatabase;
import org.govshare.platform.db.Migrations;
import org.govshare.platform.http.Contract;
import org.govshare.platform.http.Health;
import org.govshare.platform.http.HttpVerticle;
import org.govshare.platform.http.ProblemHandler;
import org.govshare.platform.http.Routes;
import org.govshare.push.ChangeFeed;
import org.govshare.push.ChangeRetention;
import org.govshare.push.ChangeStreams;
import org.govshare.push.PgChangeFeed;
import org.govshare.push.PushRoutes;
import org.govshare.push.webhook.PgSubscriptionStore;
import org.govshare.push.webhook.SubscriptionRoutes;
import org.govshare.push.webhook.SubscriptionService;
import org.govshare.push.webhook.WebhookDeliveries;
import org.govshare.push.webhook.WebhookSecrets;
import org.govshare.objection.CrossCheckService;
import org.govshare.objection.ObjectionClock;
import org.govshare.objection.ObjectionRoutes;
import org.govshare.objection.ObjectionService;
import org.govshare.objection.OpenObjections;
import org.govshare.objection.PgCrossCheckStore;
import org.govshare.objection.PgObjectionStore;
import org.govshare.sharing.ApplicationService;
import org.govshare.sharing.CalendarFiles;
import org.govshare.sharing.CalendarService;
import org.govshare.sharing.ClockJob;
import org.govshare.sharing.DecisionClock;
import org.govshare.sharing.DisputeService;
import org.govshare.sharing.GrantCheck;
import org.govshare.sharing.GrantService;
import org.govshare.sharing.NotificationService;
import org.govshare.notification.Notifier;
import org.govshare.sharing.PgCalendarStore;
import org.govshare.sharing.PgNotificationStore;
import org.govshare.sharing.PgSharingStore;
import org.govshare.sharing.SharingMetrics;
import org.govshare.sharing.SharingRoutes;
import org.govshare.sharing.WorkingDayCalendar;
import org.govshare.supervision.EvaluationWeights;
import org.govshare.supervision.PgReportStore;
import org.govshare.supervision.PgStatisticsStore;
import org.govshare.supervision.SupervisionRoutes;
import org.govshare.supervision.SupervisionService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts and stops the whole server: database, Vert.x, services, HTTP verticles. */
public final class Platform {
  private static final Logger LOG = LoggerFactory.getLogger(Platform.class);

  private final GovshareConfig config;
  private final Clock clock;
  private EmbeddedDatabase embedded;
  private Cluster cluster;
  private Invalidation invalidation;
  private Vertx vertx;
  private Pool pool;
  private AuditWriter audit;
  private TokenService tokens;
  private AnonymousRefusals anonymousRefusals;
  private CalendarService calendar;
  private GrantCheck grantCheck;
  private RateLimits rateLimits;
  private RecordCache recordCache;
  private ClockJob clockJob;
  private ObjectionClock objectionClock;
  private NotificationService notifications;
  private DbUrl dbUrl;
  private CatalogService catalog;
  private PgChangeFeed changeFeed;
  private ChangeStreams changeStreams;
  private ChangeRetention changeRetention;
  private WebhookDeliveries webhooks;
  private volatile boolean stopped;

  private Platform(GovshareConfig config, Clock clock) {
    this.config = config;
    this.clock = clock;
  }

  /** Blocking: call from main (or a test's set-up), never from an event loop. */
  public static Platform start(GovshareConfig config) throws Exception {
    return start(config, Clock.systemUTC());
  }

  /** As {@link #start(GovshareConfig)}, with the clock the services read "now" from (tests move it). */
  public static Platform start(GovshareConfig config, Clock clock) throws Exception {
    Platform p = new Platform(config, clock);
    try {
      p.startBlocking();
    } catch (Exception | Error e) {
      p.stop();
      throw e;
    }
    return p;
  }

  private void startBlocking() throws Exception {
    Times.useZone(config.timezone());
    Files.createDirectories(config.dataDir());
    probeHttpPort(config.http());
    // refused before anything starts: weights that do not add up to 100 would rank departments wrongly all year
    EvaluationWeights weights = EvaluationWeights.load(config.supervision().weightsFile());
    if (config.database().url().isPresent()) {
      dbUrl = config.database().url().get();
    } else {
      embedded = EmbeddedDatabase.start(config.dataDir(), config.database().embeddedPort(), config.database().embeddedDurable());
      dbUrl = embedded.url();
    }
    LOG.info("database {}", dbUrl);
    String schemaVersion = Migrations.apply(dbUrl);

    String registryName = "govshare-" + UUID.randomUUID();
    MeterRegistry registry = MetricsRegistry.create();
    cluster = Cluster.start(Vertx.builder()
        .with(new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions()
            .setEnabled(true)
            .setJvmMetricsEnabled(true)
            .setRegistryName(registryName)
            .setLabels(EnumSet.of(Label.HTTP_METHOD, Label.HTTP_CODE, Label.HTTP_ROUTE, Label.POOL_TYPE, Label.POOL_NAME))
            .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true)))
            // clustered: the event bus listens on the cluster address, on a free port
            .setEventBusOptions(new EventBusOptions().setHost(config.cluster().host()).setPort(0)))
        .withMetrics(new MicrometerMetricsFactory(registry)), config.cluster());
    vertx = cluster.vertx();
    LOG.info("cluster: {}", cluster.health().encode());

    pool = Database.pool(vertx, dbUrl, config.database().limits());
    invalidation = new Invalidation(cluster, pool, config.cluster(), registry);
    audit = new AuditWriter(vertx, pool, config.audit().batchMax(), registry, config.dataDir());
    SecretHasher hasher = new SecretHasher(config.identity().hashIterations());
    PgIdentityStore identityStore = new PgIdentityStore(pool);
    tokens = new TokenService(vertx, identityStore, hasher, audit, config.identity(), registry, invalidation);
    IdentityService identity = new IdentityService(vertx, identityStore, hasher, tokens, config.identity());
    AuditService auditService = new AuditService(vertx, new PgAuditStore(pool), audit, config.timezone());

    String bureau = config.identity().bureauCode();
    notifications = new NotificationService(new PgNotificationStore(pool));
    PgSharingStore sharingStore = new PgSharingStore(pool);
    // grants read the catalogue, and the catalogue tells the grants when a resource retires or drops items
    grantCheck = new GrantCheck(vertx, sharingStore, () -> catalog, clock, config.sharing().pollMs(), registry, invalidation);
    GrantService grants = new GrantService(sharingStore, grantCheck, notifications, clock);
    catalog = new CatalogService(new PgCatalogStore(pool), audit, grants, notifications, bureau,
        endpoint -> ProviderInterfaceSource.refusal(endpoint, config.proxy().allowedHosts()));

    await(tokens.start().compose(v -> identity.bootstrap(config.dataDir())));

    WorkingDayCalendar shippedCalendar = vertx.executeBlocking(() -> CalendarFiles.load(config.calendarDir()))
        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    calendar = new CalendarService(vertx, new PgCalendarStore(pool), shippedCalendar, clock, config.sharing().pollMs(), invalidation);
    SharingMetrics sharingMetrics = new SharingMetrics(registry);
    ApplicationService applications = new ApplicationService(sharingStore, catalog, calendar,
        new DecisionClock(config.timezone(), config.sharing().decisionWorkingDays()), grantCheck, notifications, sharingMetrics, clock);
    DisputeService disputes = new DisputeService(sharingStore, catalog, grantCheck, notifications, clock, bureau);
    clockJob = new ClockJob(vertx, sharingStore, grants, notifications, sharingMetrics, clock, bureau,
        config.sharing().clockPeriodMs());
    rateLimits = new RateLimits(vertx, new PgRateLimitStore(pool), identity,
        RateLimiter.of(cluster, config.cluster().members().size(), config.rateLimit().clusterTimeoutMs(), registry), config.rateLimit(),
        invalidation, audit, clock, config.sharing().pollMs());
    PgRecordStore records = new PgRecordStore(pool);
    RecordStore recordStore = records;
    RecordSource recordSource = records;
    if (config.recordCache().enabled()) {
      // a decorator on both sides: reads through the cache, committed writes drop their keys before the answer
      recordCache = cluster.clustered()
          ? new HazelcastRecordCache(cluster, invalidation, records, config.recordCache(), config.cluster().heartbeatMs(), registry)
          : new LocalRecordCache(vertx, records, pool, config.recordCache(), registry);
      recordStore = new CachingRecordStore(records, recordCache);
      recordSource = recordCache;
    }
    PgObjectionStore objectionStore = new PgObjectionStore(pool);
    OpenObjections openObjections = new OpenObjections(objectionStore, invalidation, config.sharing().pollMs());
    // every cache registered its kind: now this instance may take part in invalidations
    await(calendar.start().compose(v -> grantCheck.start()).compose(v -> rateLimits.start()).compose(v -> invalidation.start())
        .compose(v -> recordCache == null ? Future.<Void>succeededFuture() : recordCache.start()));
    clockJob.start();

    Health health = new Health().add("database", Health.database(pool, schemaVersion))
        .add("cluster", () -> Future.succeededFuture(cluster.health().mergeIn(invalidation.health())))
        .add("calendar", calendar::health);
    if (recordCache != null) {
      health.add("recordCache", () -> Future.succeededFuture(recordCache.health()));
    }
    List<Routes> routes = new ArrayList<>(List.of(new IdentityRoutes(identity, tokens), new AuditRoutes(auditService),
        new CatalogRoutes(catalog), new SharingRoutes(calendar, applications, grants, disputes, notifications)));
    ProviderInterfaceSource providers = new ProviderInterfaceSource(vertx, config.proxy(), config.timezone());
    AccessService access = new AccessService(catalog, grantCheck, recordStore, recordSource, providers, audit, config.dataPlane(),
        config.timezone(), openObjections);
    routes.add(new DataRoutes(access, rateLimits));
    routes.add(new RateLimitRoutes(rateLimits));
    changeFeed = new PgChangeFeed(vertx, pool, access, dbUrl);
    await(changeFeed.start());
    changeStreams = new ChangeStreams(vertx, changeFeed, audit, config.push());
    routes.add(new PushRoutes(changeStreams));
    changeRetention = new ChangeRetention(vertx, pool, clock, config.push().retentionDays(), config.push().purgePeriodMs());
    changeRetention.start();
    routes.add(webhooks(changeFeed, access));
    DecisionClock answerClock = new DecisionClock(config.timezone(), config.objection().answerWorkingDays());
    CrossCheckService crosschecks = new CrossCheckService(new PgCrossCheckStore(pool), catalog, calendar, answerClock, openObjections,
        notifications, audit, config.objection(), clock, bureau);
    routes.add(new ObjectionRoutes(new ObjectionService(objectionStore, access, calendar, answerClock, openObjections, notifications, audit,
        clock, bureau), crosschecks));
    objectionClock = new ObjectionClock(vertx, objectionStore, crosschecks, notifications, clock, bureau, config.objection().clockPeriodMs());
    objectionClock.start();

    routes.add(new SupervisionRoutes(new SupervisionService(vertx, new PgStatisticsStore(pool), new PgReportStore(pool), audit, weights,
        config.timezone(), clock)));

    anonymousRefusals = new AnonymousRefusals(audit);
    anonymousRefusals.start(vertx, config.identity().login().refusalAuditSeconds() * 1000L);
    String yaml = Contract.readYaml();
    HttpVerticle.Wiring wiring = new HttpVerticle.Wiring(config.http(), yaml, rawJson(yaml), new Authenticator(tokens),
        new ProblemHandler(audit, anonymousRefusals), health, registryName, routes);
    int instances = config.http().instances() > 0 ? config.http().instances() : VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE;
    await(vertx.deployVerticle(() -> new HttpVerticle(wiring), new DeploymentOptions().setInstances(instances)));
    LOG.info("govshare listening on {}:{} with {} HTTP verticles", config.http().host(), config.http().port(), instances);
  }

  /** Webhook subscriptions and their deliveries on this instance (ADR 0012). */
  private Routes webhooks(ChangeFeed feed, AccessService access) throws Exception {
    PgSubscriptionStore store = new PgSubscriptionStore(pool);
    WebhookSecrets secrets = new WebhookSecrets(store);
    await(secrets.load());
    webhooks = new WebhookDeliveries(vertx, store, feed, secrets, config.webhook(), cluster.node());
    await(webhooks.start());
    return new SubscriptionRoutes(new SubscriptionService(store, access, secrets, audit, config.webhook(), webhooks::wake));
  }

  // the verticles bind only after migrations; a busy port should be said before, by number
  private static void probeHttpPort(GovshareConfig.HttpConfig http) {
    if (http.port() == 0) {
      return;
    }
    try (ServerSocket probe = new ServerSocket()) {
      probe.setReuseAddress(true);
      probe.bind(new InetSocketAddress(http.host(), http.port()));
    } catch (IOException e) {
      throw new CannotStart("HTTP port " + http.port() + " on " + http.host() + " is not available (" + e.getMessage()
          + "); stop what uses it or choose another with GOVSHARE_HTTP_PORT");
    }
  }

  private static String rawJson(String yaml) {
    Object tree = new org.yaml.snakeyaml.Yaml(new org.yaml.snakeyaml.constructor.SafeConstructor(new org.yaml.snakeyaml.LoaderOptions()))
        .load(yaml);
    return io.vertx.core.json.Json.encodePrettily(tree);
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
  }

  public Vertx vertx() {
    return vertx;
  }

  public Cluster cluster() {
    return cluster;
  }

  public Pool pool() {
    return pool;
  }

  public AuditWriter auditWriter() {
    return audit;
  }

  /** The data plane's question: which items of a resource a department may read. */
  public GrantCheck grantCheck() {
    return grantCheck;
  }

  public ClockJob sharingClock() {
    return clockJob;
  }

  /** Flags overdue objections; tests run it by hand. */
  public ObjectionClock objectionClock() {
    return objectionClock;
  }

  public Notifier notifier() {
    return notifications;
  }

  public CatalogService catalog() {
    return catalog;
  }

  /** A resource's changes as a subscriber sees them, with the live commit signal (push: SSE, webhooks). */
  public ChangeFeed changeFeed() {
    return changeFeed;
  }

  public ChangeStreams changeStreams() {
    return changeStreams;
  }

  public ChangeRetention changeRetention() {
    return changeRetention;
  }

  /** The PostgreSQL this server runs itself, if it does (no {@code db.url}). */
  public java.util.Optional<EmbeddedDatabase> embeddedDatabase() {
    return java.util.Optional.ofNullable(embedded);
  }

  public DbUrl databaseUrl() {
    return dbUrl;
  }

  public GovshareConfig config() {
    return config;
  }

  /**
   * Graceful: HTTP servers finish in-flight requests, background polls stop and their runs in
   * flight finish, the audit queue drains, then pool, Vert.x and database close.
   */
  public synchronized void stop() {
    if (stopped) {
      return;
    }
    stopped = true;
    boolean started = vertx != null || embedded != null;
    try {
      if (changeStreams != null) {
        // open streams would hold the HTTP servers' graceful shutdown for its whole grace period
        changeStreams.stop();
      }
      if (changeRetention != null) {
        changeRetention.stop();
      }
      if (vertx != null) {
        await(Future.all(vertx.deploymentIDs().stream().map(vertx::undeploy).toList()));
        if (webhooks != null) {
          await(webhooks.stop()); // batches in flight finish and are recorded, leases go to the other instances
        }
        if (tokens != null) {
          tokens.stop();
        }
        if (clockJob != null) {
          clockJob.stop();
        }
        if (objectionClock != null) {
          objectionClock.stop();
        }
        if (grantCheck != null) {
          grantCheck.stop();
        }
        if (rateLimits != null) {
          rateLimits.stop();
        }
        if (calendar != null) {
          calendar.stop();
        }
        if (recordCache != null) {
          recordCache.stop();
        }
        if (invalidation != null) {
          await(invalidation.stop());
        }
        if (changeFeed != null) {
          await(changeFeed.stop());
        }
        if (anonymousRefusals != null) {
          await(anonymousRefusals.stop());
        }
        await(Periodic.stopAll(vertx));
        if (audit != null) {
          await(audit.drain());
        }
        if (pool != null) {
          await(pool.close());
        }
        await(vertx.close());
      }
    } catch (Exception e) {
      LOG.warn("problem while stopping: {}", e.toString());
    }
    try {
      if (embedded != null) {
        embedded.close();
      }
    } catch (Exception e) {
      LOG.warn("problem stopping the embedded database: {}", e.toString());
    }
    if (started) {
      LOG.info("govshare stopped");
    }
  }
}
