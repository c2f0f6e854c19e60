package org.govshare.catalog;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.govshare.kernel.AuditAction;
import org.govshare.platform.Problem;
import org.govshare.platform.http.Api;
import org.govshare.platform.http.ApiRequest;
import org.govshare.platform.http.BodyLimit;
import org.govshare.platform.http.Reply;
import org.govshare.platform.http.Routes;

public final class CatalogRoutes implements Routes {
  static final String BASE = "/api/v1/catalog/resources/";
  private static final String[] FILTERS = {"provider", "category", "subject", "shareType", "updatePeriod", "status"};

  private final CatalogService catalog;

  public CatalogRoutes(CatalogService catalog) {
    this.catalog = catalog;
  }

  @Override
  public void mount(Api api) {
    api.on("createCatalogResource", AuditAction.CATALOG_CREATE, BodyLimit.LARGE,
        req -> catalog.create(req.caller(), req.body()).map(r -> Reply.created(r.toJson()).header("Location", location(r.code()))));
    api.on("searchCatalogResources", AuditAction.CATALOG_READ, this::search);
    api.on("getCatalogResource", AuditAction.CATALOG_READ,
        req -> catalog.get(req.caller(), code(req)).map(r -> Reply.ok(r.toJson())));
    api.on("updateCatalogResource", AuditAction.CATALOG_UPDATE, BodyLimit.LARGE,
        req -> catalog.update(req.caller(), code(req), req.body()).map(r -> Reply.ok(r.toJson())));
    api.on("publishCatalogResource", AuditAction.CATALOG_PUBLISH,
        req -> catalog.publish(req.caller(), code(req)).map(r -> Reply.ok(r.toJson())));
    api.on("retireCatalogResource", AuditAction.CATALOG_RETIRE,
        req -> catalog.retire(req.caller(), code(req)).map(r -> Reply.ok(r.toJson())));
    api.on("listCatalogResourceVersions", AuditAction.CATALOG_READ,
        req -> catalog.versions(req.caller(), code(req), req.page()).map(Reply::ok));
    // the same operations for clients that leave the code's '/' unencoded
    api.on("getCatalogResourceByParts", AuditAction.CATALOG_READ, req -> "versions".equals(req.path("sequence"))
        ? catalog.versions(req.caller(), audited(req, req.path("classification")), req.page()).map(Reply::ok)
        : catalog.get(req.caller(), codeOfParts(req)).map(r -> Reply.ok(r.toJson())));
    api.on("updateCatalogResourceByParts", AuditAction.CATALOG_UPDATE, BodyLimit.LARGE,
        req -> catalog.update(req.caller(), codeOfParts(req), req.body()).map(r -> Reply.ok(r.toJson())));
    api.on("publishCatalogResourceByParts", AuditAction.CATALOG_PUBLISH,
        req -> catalog.publish(req.caller(), codeOfParts(req)).map(r -> Reply.ok(r.toJson())));
    api.on("retireCatalogResourceByParts", AuditAction.CATALOG_RETIRE,
        req -> catalog.retire(req.caller(), codeOfParts(req)).map(r -> Reply.ok(r.toJson())));
    api.on("listCatalogResourceVersionsByParts", AuditAction.CATALOG_READ,
        req -> catalog.versions(req.caller(), codeOfParts(req), req.page()).map(Reply::ok));
    api.on("getDataElementSource", AuditAction.CATALOG_READ,
        req -> catalog.dataElement(req.caller(), req.path("element")).map(Reply::ok));
    api.on("listCatalogFilings", AuditAction.CATALOG_READ,
        req -> catalog.filings(req.caller(), req.query("provider"), req.query("resource"), req.page()).map(Reply::ok));
  }

  private Future<Reply> search(ApiRequest req) {
    Map<String, Optional<String>> filters = new LinkedHashMap<>();
    for (String f : FILTERS) {
      filters.put(f, req.query(f));
    }
    boolean scan = req.query("plan").map("scan"::equals).orElse(false);
    CatalogSearch search = catalog.searchFor(req.caller(), req.query("q"), filters, scan);
    String accept = req.header("Accept");
    if (accept == null || !accept.contains("text/csv")) {
      return catalog.search(search, req.page()).map(Reply::ok);
    }
    if (search.provider().isEmpty()) {
      throw Problem.invalid("provider", "the CSV export is one department's catalogue: name it as provider");
    }
    if (search.status().isEmpty()) {
      filters.put("status", Optional.of("PUBLISHED"));
      search = catalog.searchFor(req.caller(), req.query("q"), filters, scan);
    }
    return export(req, search);
  }

  /** Streams the CSV batch by batch; a failure after the first batch can only cut the connection. */
  private Future<Reply> export(ApiRequest req, CatalogSearch search) {
    HttpServerResponse res = req.context().response();
    String filename = "catalog-" + search.provider().orElseThrow().replaceAll("[^A-Za-z0-9_-]", "_") + ".csv";
    boolean[] started = {false};
    Runnable start = () -> {
      if (!started[0]) {
        started[0] = true;
        res.setStatusCode(200).setChunked(true)
            .putHeader("Content-Type", "text/csv; charset=utf-8")
            .putHeader("Content-Disposition", "attachment; filename=\"" + filename + "\"");
        res.write(Buffer.buffer(CatalogCsv.header()));
      }
    };
    return catalog.export(req.caller(), search, (batch, names) -> {
          start.run();
          return res.write(Buffer.buffer(CatalogCsv.rows(batch, names)));
        })
        .compose(v -> {
          start.run();
          return res.end();
        })
        .map(v -> Reply.noContent());
  }

  private static String code(ApiRequest req) {
    return audited(req, req.path("code"));
  }

  private static String codeOfParts(ApiRequest req) {
    return audited(req, req.path("classification") + "/" + req.path("sequence"));
  }

  /** A refusal of this request is audited against the resource it was about. */
  private static String audited(ApiRequest req, String code) {
    req.context().put("govshare.auditResource", code);
    return code;
  }

  static String location(String code) {
    return BASE + code.replace("/", "%2F");
  }
}
