import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP ceiling: bare Vert.x answering a fixed JSON object of about 200 bytes, one verticle per
 * event loop as govshare deploys them. Usage: java -cp govshare.jar BareJson.java PORT
 */
public class BareJson {
  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    Vertx vertx = Vertx.vertx();
    Buffer body = Buffer.buffer(new JsonObject()
        .put("department", "BENCH-CONSUMER").put("resource", "100000/000001")
        .put("items", java.util.List.of("birth_date", "id_number", "name")).put("unconditional", java.util.List.of("birth_date", "name"))
        .put("granted", java.util.List.of("id_number")).put("ownResource", false).put("padding", "x".repeat(40)).encode());
    vertx.deployVerticle(() -> new VerticleBase() {
      @Override
      public Future<?> start() {
        return vertx.createHttpServer()
            .requestHandler(req -> req.response().putHeader("Content-Type", "application/json").end(body))
            .listen(port, "127.0.0.1");
      }
    }, new DeploymentOptions().setInstances(VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE))
        .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    System.out.println("bare-json listening on 127.0.0.1:" + port);
  }
}
