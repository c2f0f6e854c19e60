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
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The database baseline: bare Vert.x doing one keyed PostgreSQL lookup per request (a random key of
 * 10,000 rows) on the embedded PostgreSQL govshare ships, configured as govshare configures it,
 * through one shared pool of the same size with prepared statements cached. No auth, no audit, no
 * contract. Usage: java -cp govshare.jar BarePgLookup.java PORT POOL_SIZE DATA_DIR
 */
public class BarePgLookup {
  static final int ROWS = 10_000;
  static final String LOOKUP = "SELECT id, name, updated_at FROM bench_lookup WHERE id = $1";

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
      s.execute("CREATE TABLE bench_lookup (id integer PRIMARY KEY, name text NOT NULL, updated_at timestamptz NOT NULL DEFAULT now())");
      s.execute("INSERT INTO bench_lookup (id, name) SELECT i, 'resource ' || i FROM generate_series(1, " + ROWS + ") i");
      s.execute("ANALYZE bench_lookup");
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
          int id = ThreadLocalRandom.current().nextInt(1, ROWS + 1);
          pool.preparedQuery(LOOKUP).execute(Tuple.of(id)).onComplete(ar -> {
            if (ar.failed()) {
              req.response().setStatusCode(500).end(ar.cause().toString());
              return;
            }
            Row r = ar.result().iterator().next();
            req.response().putHeader("Content-Type", "application/json").end(new JsonObject()
                .put("id", r.getInteger(0)).put("name", r.getString(1)).put("updatedAt", r.getOffsetDateTime(2).toString()).encode());
          });
        }).listen(port, "127.0.0.1");
      }
    }, new DeploymentOptions().setInstances(VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE))
        .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    System.out.println("bare-pg listening on 127.0.0.1:" + port + " (PostgreSQL on " + pg.getPort() + ", pool " + poolSize + ")");
  }
}
