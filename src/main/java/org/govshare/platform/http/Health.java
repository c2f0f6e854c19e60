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

  public static Check database(Pool pool, Supplier<Integer> schemaVersion) {
    return () -> pool.query("SELECT 1").execute()
        .timeout(2, TimeUnit.SECONDS)
        .map(r -> new JsonObject().put("status", "UP").put("schemaMigrations", schemaVersion.get()));
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
