package org.govshare.testing;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.govshare.Platform;
import org.govshare.platform.config.GovshareConfig;

/**
 * A real govshare (embedded PostgreSQL, real HTTP) for integration tests. {@link #shared()} is
 * started once per test JVM; tests keep out of each other's way by creating their own departments.
 */
public final class TestServer implements AutoCloseable {
  public static final String ADMIN_SECRET = "test-admin-secret-0123456789";
  private static TestServer shared;
  private static final AtomicInteger SEQUENCE = new AtomicInteger();
  private static final Set<Path> TEMP_DIRS = ConcurrentHashMap.newKeySet();
  private static final Set<TestServer> RUNNING = ConcurrentHashMap.newKeySet();

  static {
    // servers first (their PostgreSQL holds files in the directories), then the directories
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      RUNNING.forEach(TestServer::close);
      TEMP_DIRS.forEach(TestServer::deleteTree);
    }, "test-server-cleanup"));
  }

  private final Platform platform;
  private final Http http;
  private final String baseUrl;
  private final Path dataDir;
  private String adminToken;

  private TestServer(Platform platform, Path dataDir, int port) {
    this.platform = platform;
    this.dataDir = dataDir;
    this.baseUrl = "http://127.0.0.1:" + port;
    this.http = new Http(baseUrl);
    RUNNING.add(this);
  }

  public static synchronized TestServer shared() {
    if (shared == null) {
      shared = start(Map.of());
    }
    return shared;
  }

  /** A new data directory under the system's temp directory, removed when the test JVM exits. */
  public static Path tempDataDir() {
    try {
      Path dir = Files.createTempDirectory("govshare-it");
      TEMP_DIRS.add(dir);
      return dir;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public static TestServer start(Map<String, String> overrides) {
    return start(tempDataDir(), overrides);
  }

  /** A server whose services read "now" from {@code clock} (the platform's clock; audit times stay real). */
  public static TestServer start(Map<String, String> overrides, java.time.Clock clock) {
    return start(tempDataDir(), overrides, clock);
  }

  public static TestServer start(Path dataDir, Map<String, String> overrides) {
    return start(dataDir, overrides, java.time.Clock.systemUTC());
  }

  static TestServer start(Path dataDir, Map<String, String> overrides, java.time.Clock clock) {
    if (dataDir.toAbsolutePath().startsWith(Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath())) {
      TEMP_DIRS.add(dataDir); // a test's own temp dir: its embedded database must not outlive the run either
    }
    int port = freePort();
    Map<String, String> settings = new HashMap<>();
    settings.put("http.port", String.valueOf(port));
    settings.put("http.host", "127.0.0.1");
    settings.put("http.instances", "2");
    settings.put("data.dir", dataDir.toString());
    settings.put("admin.secret", ADMIN_SECRET);
    settings.put("secret.hash-iterations", "1000"); // fast tests; production keeps the slow default
    settings.put("token.revocation-poll-ms", "200");
    // every test shares 127.0.0.1; the login limits have tests of their own
    settings.put("auth.max-failures-per-address", "100000");
    settings.put("auth.max-failures-per-client", "1000");
    settings.put("auth.refusal-audit-seconds", "1");
    settings.put("db.embedded-durable", "false"); // fast tests; the server's default is durable
    // a busy build machine must not turn slow queries into 503s; DatabaseStallIT sets tight ones
    settings.put("db.query-timeout-ms", "30000");
    settings.put("db.pool-wait-timeout-ms", "30000");
    settings.putAll(overrides);
    try {
      return new TestServer(Platform.start(GovshareConfig.with(settings), clock), dataDir, port);
    } catch (Exception e) {
      throw new IllegalStateException("test server did not start", e);
    }
  }

  /** Another server on this one's database (its own port and data directory), as a second instance of a deployment. */
  public TestServer secondInstance(Map<String, String> overrides) {
    GovshareConfig.DbUrl db = platform().databaseUrl();
    Map<String, String> settings = new HashMap<>(overrides);
    settings.put("db.url", "postgresql://" + db.user() + ":" + db.password() + "@" + db.host() + ":" + db.port() + "/" + db.database());
    return start(settings);
  }

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public Http http() {
    return http;
  }

  public Platform platform() {
    return platform;
  }

  public Path dataDir() {
    return dataDir;
  }

  public String baseUrl() {
    return baseUrl;
  }

  public synchronized String adminToken() {
    if (adminToken == null) {
      adminToken = token("admin", ADMIN_SECRET);
    }
    return adminToken;
  }

  public String token(String clientId, String secret) {
    return http.post("/api/v1/auth/token", new JsonObject()
            .put("grant_type", "client_credentials").put("client_id", clientId).put("client_secret", secret))
        .expect(200).json().getString("access_token");
  }

  /** A new department with a unique code starting with {@code prefix}. */
  public String department(String prefix) {
    String code = prefix + "-" + SEQUENCE.incrementAndGet() + "-" + Long.toString(System.nanoTime() % 1_000_000, 36);
    http.post("/api/v1/departments", new JsonObject().put("code", code).put("name", prefix + " 部门").put("kind", "DEPARTMENT"))
        .as(adminToken()).expect(201);
    return code;
  }

  public record Client(String clientId, String secret, String department) {}

  public Client client(String department, String... roles) {
    JsonObject created = http.post("/api/v1/departments/" + department + "/clients",
            new JsonObject().put("name", "system of " + department).put("roles", new JsonArray(java.util.List.of((Object[]) roles))))
        .as(adminToken()).expect(201).json();
    return new Client(created.getString("clientId"), created.getString("clientSecret"), department);
  }

  public String tokenFor(Client c) {
    return token(c.clientId(), c.secret());
  }

  @Override
  public void close() {
    RUNNING.remove(this);
    platform.stop();
  }

  private static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      System.err.println("could not remove test data directory " + dir + ": " + e);
    }
  }
}
