package org.govshare.platform.http;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.openapi.router.RequestExtractor;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.micrometer.PrometheusScrapingHandler;
import java.util.List;
import org.govshare.platform.config.GovshareConfig.HttpConfig;

/**
 * One per event loop. Each request runs: request id and access log → body (size-limited) →
 * authentication → contract validation → handler; failures go to the one problem handler.
 */
public final class HttpVerticle extends VerticleBase {

  /** What every instance shares: built once by the platform, used read-only here. */
  public record Wiring(
      HttpConfig http,
      String contractYaml,
      String contractJson,
      Handler<RoutingContext> authenticator,
      ProblemHandler problems,
      Health health,
      String metricsRegistry,
      List<Routes> routes) {}

  private final Wiring wiring;
  private HttpServer server;

  public HttpVerticle(Wiring wiring) {
    this.wiring = wiring;
  }

  @Override
  public Future<?> start() {
    return Contract.load(vertx, wiring.contractYaml()).compose(contract -> {
      RouterBuilder builder = RouterBuilder.create(vertx, contract.openApi(), RequestExtractor.withBodyHandler());
      builder.rootHandler(new RequestLog());
      Api api = new Api(vertx, contract, builder);
      BodyHandler bodies = BodyHandler.create(false).setBodyLimit(wiring.http().bodyLimitBytes());
      builder.rootHandler(ctx -> {
        if (api.streams(ctx)) {
          ctx.request().pause(); // its handler reads the body as it arrives, with its own bounds
          ctx.next();
        } else {
          bodies.handle(ctx);
        }
      });
      builder.rootHandler(wiring.authenticator());
      wiring.routes().forEach(r -> r.mount(api));
      Router router = builder.createRouter();
      router.get("/health/live").handler(wiring.health()::live);
      router.get("/health/ready").handler(wiring.health()::ready);
      router.get("/metrics").handler(PrometheusScrapingHandler.create(wiring.metricsRegistry()));
      router.get("/openapi.yaml").handler(ctx -> ctx.response().putHeader("Content-Type", "application/yaml; charset=utf-8")
          .end(wiring.contractYaml()));
      router.get("/openapi.json").handler(ctx -> ctx.response().putHeader("Content-Type", "application/json; charset=utf-8")
          .end(wiring.contractJson()));
      router.get("/docs").handler(ctx -> ctx.response().putHeader("Content-Type", "text/html; charset=utf-8").end(Docs.PAGE));
      router.route().failureHandler(wiring.problems());
      router.errorHandler(404, wiring.problems());
      router.errorHandler(405, wiring.problems());
      router.errorHandler(500, wiring.problems());
      server = vertx.createHttpServer(new HttpServerOptions()
          .setHost(wiring.http().host())
          .setPort(wiring.http().port())
          .setCompressionSupported(true)
          .setMaxFormAttributeSize(64 * 1024)
          .setMaxInitialLineLength(16 * 1024));
      return server.requestHandler(router).listen();
    });
  }

  @Override
  public Future<?> stop() {
    // stop accepting, let in-flight requests finish within the grace period
    return server == null ? Future.succeededFuture() : server.shutdown(wiring.http().shutdownGraceSeconds(), java.util.concurrent.TimeUnit.SECONDS);
  }
}
