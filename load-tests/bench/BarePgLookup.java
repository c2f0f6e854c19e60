import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.postgresql.copy.CopyManager;
import org.postgresql.core.BaseConnection;

/**
 * The database baseline: bare Vert.x doing one keyed PostgreSQL lookup per request on the embedded
 * PostgreSQL govshare ships, in a table shaped like govshare's data_record and loaded (COPY) with
 * the same person records the benchmark ingests into govshare; the key is the last path segment
 * (GET /records/{key}, as govshare's read), unknown keys 404. One shared pool of the same size,
 * prepared statements cached. No auth, no scoping, no masking, no audit, no contract.
 * Usage: java -cp govshare.jar BarePgLookup.java PORT POOL_SIZE DATA_DIR COPY_FILE
 * (COPY_FILE: rows "resource TAB key TAB version TAB seq TAB json TAB updated_at", as ingest/generate.py writes)
 */
public class BarePgLookup {
  static final String LOOKUP = "SELECT record_key, version, data, updated_at FROM bench_record WHERE resource = $1 AND record_key = $2";

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    int poolSize = Integer.parseInt(args[1]);
    EmbeddedPostgres pg = EmbeddedPostgres.builder()
        .setDataDirectory(Path.of(args[2]))
        .setCleanDataDirectory(true)
        .setServerConfig("max_connections", "200")
        .setServerConfig("shared_buffers", "128MB")
        .start();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        pg.close();
      } catch (Exception e) {
        e.printStackTrace();
      }
    }));
    try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
      s.execute("""
          CREATE TABLE bench_record (resource text NOT NULL, record_key text NOT NULL, version integer NOT NULL,
            seq bigint NOT NULL, data jsonb NOT NULL, updated_at timestamptz NOT NULL, PRIMARY KEY (resource, record_key))
            WITH (fillfactor = 90)""");
      try (Reader rows = Files.newBufferedReader(Path.of(args[3]), StandardCharsets.UTF_8)) {
        long n = new CopyManager(c.unwrap(BaseConnection.class)).copyIn(
            "COPY bench_record (resource, record_key, version, seq, data, updated_at) FROM STDIN", rows);
        System.out.println("bare-pg loaded " + n + " records");
      }
      s.execute("ANALYZE bench_record");
    }
    Vertx vertx = Vertx.vertx();
    Pool pool = PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(poolSize))
        .connectingTo(new PgConnectOptions().setHost("localhost").setPort(pg.getPort()).setDatabase("postgres")
            .setUser("postgres").setPassword("postgres").setCachePreparedStatements(true))
        .using(vertx)
        .build();
    vertx.deployVerticle(() -> new VerticleBase() {
      @Override
      public Future<?> start() {
        return vertx.createHttpServer().requestHandler(req -> {
          String path = req.path();
          String key = path.substring(path.lastIndexOf('/') + 1);
          pool.preparedQuery(LOOKUP).execute(Tuple.of("R", key)).onComplete(ar -> {
            if (ar.failed()) {
              req.response().setStatusCode(500).end(ar.cause().toString());
              return;
            }
            if (ar.result().size() == 0) {
              req.response().setStatusCode(404).end();
              return;
            }
            Row r = ar.result().iterator().next();
            req.response().putHeader("Content-Type", "application/json").end(new JsonObject()
                .put("key", r.getString(0)).put("record", r.getJsonObject(2)).put("version", r.getInteger(1))
                .put("updatedAt", r.getOffsetDateTime(3).toString()).encode());
          });
        }).listen(port, "127.0.0.1");
      }
    }, new DeploymentOptions().setInstances(VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE))
        .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    System.out.println("bare-pg listening on 127.0.0.1:" + port + " (PostgreSQL on " + pg.getPort() + ", pool " + poolSize + ")");
  }
}
