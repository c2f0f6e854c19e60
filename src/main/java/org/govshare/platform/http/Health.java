package org.govshare.platform.http;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * {@code /health/live}: the process answers. {@code /health/ready}: every named check passes
 * (database reachable, schema migrated, cluster joined, ...); 503 with the details otherwise.
 */
public final class Health {
  /** One readiness check: succeeds with details when ready, fails with the reason when not. */
  public interface Check extends Supplier<Future<JsonObject>> {}

  private final Map<String, Check> checks = new LinkedHashMap<>();

  public Health add(String name, Check check) {
    checks.put(name, check);
    return this;
  }

  static final String SCHEMA_VERSION =
      "SELECT version FROM flyway_schema_history WHERE success ORDER BY installed_rank DESC LIMIT 1";

  /** Reachable, and at the schema version this build migrated it to. */
  public static Check database(Pool pool, String expectedSchema) {
    return () -> pool.query(SCHEMA_VERSION).execute()
        .timeout(2, TimeUnit.SECONDS)
        .map(rows -> {
          String actual = rows.size() == 0 ? "none" : rows.iterator().next().getString(0);
          return new JsonObject()
              .put("status", atLeast(actual, expectedSchema) ? "UP" : "DOWN")
              .put("schemaVersion", actual)
              .put("expectedSchemaVersion", expectedSchema);
        });
  }

  // a newer instance may have migrated further during a rolling upgrade; only a missing migration is DOWN
  static boolean atLeast(String actual, String expected) {
    return !"none".equals(actual) && org.flywaydb.core.api.MigrationVersion.fromVersion(actual)
        .isAtLeast(expected);
  }

  public void live(RoutingContext ctx) {
    ctx.response().putHeader("Content-Type", "application/json").end(new JsonObject().put("status", "UP").toBuffer());
  }

  public void ready(RoutingContext ctx) {
    JsonObject details = new JsonObject();
    var all = checks.entrySet().stream().map(e -> e.getValue().get()
        .recover(err -> Future.succeededFuture(new JsonObject().put("status", "DOWN").put("reason", String.valueOf(err.getMessage()))))
        .onSuccess(d -> details.put(e.getKey(), d))).toList();
    Future.join(all).onComplete(ar -> {
      boolean up = details.stream().allMatch(e -> "UP".equals(((JsonObject) e.getValue()).getString("status")));
      ctx.response()
          .setStatusCode(up ? 200 : 503)
          .putHeader("Content-Type", "application/json")
          .end(new JsonObject().put("status", up ? "UP" : "DOWN").put("checks", details).toBuffer());
    });
  }
}
