package org.govshare.platform.http;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * The API page: Swagger UI from the {@code org.webjars:swagger-ui} jar on the classpath (no CDN,
 * since county networks are often closed to the internet), pointed at this server's contract,
 * with "try it out" sending the bearer token the reader authorises with.
 */
final class Docs {
  /** Must follow the webjar's version in the pom; DocsIT fetches the assets and fails when they drift apart. */
  static final String SWAGGER_UI = "META-INF/resources/webjars/swagger-ui/5.34.1";

  private Docs() {}

  static void mount(Router router) {
    router.get("/").handler(ctx -> ctx.redirect("/docs"));
    router.get("/docs").handler(ctx -> ctx.response().putHeader("Content-Type", "text/html; charset=utf-8").end(PAGE));
    router.get("/docs/").handler(ctx -> ctx.redirect("/docs"));
    router.get("/docs/govshare-docs.js").handler(ctx -> ctx.response()
        .putHeader("Content-Type", "text/javascript; charset=utf-8").end(INIT));
    router.get("/docs/*").handler(StaticHandler.create(SWAGGER_UI).setDirectoryListing(false).setMaxAgeSeconds(86_400));
  }

  static final String PAGE = """
      <!doctype html>
      <html lang="zh-CN"><head><meta charset="utf-8"><title>govshare API</title>
      <meta name="viewport" content="width=device-width, initial-scale=1">
      <link rel="stylesheet" href="/docs/swagger-ui.css">
      <link rel="icon" type="image/png" href="/docs/favicon-32x32.png" sizes="32x32">
      </head><body>
      <div id="swagger-ui"></div>
      <script src="/docs/swagger-ui-bundle.js"></script>
      <script src="/docs/govshare-docs.js"></script>
      </body></html>
      """;

  // persistAuthorization keeps the bearer token across reloads; calls go to the origin that served the page
  static final String INIT = """
      window.onload = function () {
        fetch('/openapi.json').then(function (r) { return r.json(); }).then(function (spec) {
          spec.servers = [{url: window.location.origin, description: 'this server'}];
          window.ui = SwaggerUIBundle({
            spec: spec,
            dom_id: '#swagger-ui',
            deepLinking: true,
            persistAuthorization: true,
            displayRequestDuration: true,
            validatorUrl: null,
            presets: [SwaggerUIBundle.presets.apis],
            layout: 'BaseLayout'
          });
        });
      };
      """;
}
