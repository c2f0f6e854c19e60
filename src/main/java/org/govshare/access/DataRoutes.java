package org.govshare.access;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.govshare.kernel.AuditAction;
import org.govshare.platform.http.Api;
import org.govshare.platform.http.ApiRequest;
import org.govshare.platform.http.Reply;
import org.govshare.platform.http.Routes;

/**
 * The data plane's operations: NDJSON ingestion and deletion by the provider; keyed reads, lookups and
 * verification, each spending one token of the caller department's rate limit before anything is read.
 */
public final class DataRoutes implements Routes {
  private final AccessService service;
  private final RateLimits limits;

  public DataRoutes(AccessService service, RateLimits limits) {
    this.service = service;
    this.limits = limits;
  }

  @Override
  public void mount(Api api) {
    api.onStream("ingestRecords", AuditAction.DATA_INGEST, Set.of("application/x-ndjson"),
        req -> service.ingest(req.caller(), code(req, null), req.context().request()).map(Reply::ok).onFailure(e -> {
          if (!req.context().request().isEnded()) {
            // refused before the body was read: close rather than drain what may be gigabytes
            req.context().response().putHeader("Connection", "close");
          }
        }));
    api.on("deleteRecord", AuditAction.DATA_DELETE, "code", req -> {
      String key = req.path("key");
      return service.delete(req.caller(), code(req, List.of(key)), key).map(v -> Reply.noContent());
    });
    api.on("getRecord", AuditAction.DATA_READ, "code", req -> {
      long started = System.nanoTime();
      String key = req.path("key");
      String code = code(req, List.of(key));
      return timed(req, started, limits.admit(req.caller()).compose(v -> service.get(req.caller(), code, key, started))).map(Reply::ok);
    });
    api.on("lookupRecords", AuditAction.DATA_LOOKUP, "code", req -> {
      long started = System.nanoTime();
      List<String> keys = new ArrayList<>();
      req.body().getJsonArray("keys", new JsonArray()).forEach(k -> keys.add(String.valueOf(k)));
      String code = code(req, keys);
      return timed(req, started, limits.admit(req.caller()).compose(v -> service.lookup(req.caller(), code, keys, started))).map(Reply::ok);
    });
    api.on("verifyRecord", AuditAction.DATA_VERIFY, "code", req -> {
      long started = System.nanoTime();
      JsonObject body = req.body();
      String key = body.getString("key");
      String code = code(req, List.of(key));
      return timed(req, started, limits.admit(req.caller())
          .compose(v -> service.verify(req.caller(), code, key, body.getJsonObject("values"), started))).map(Reply::ok);
    });
  }

  /** A refused read is audited with its latency too. */
  private static <T> Future<T> timed(ApiRequest req, long started, Future<T> result) {
    return result.onFailure(e -> {
      JsonObject detail = req.context().get("govshare.auditDetail");
      if (detail != null) {
        detail.put("latencyMs", (System.nanoTime() - started) / 1_000_000.0);
      }
    });
  }

  /** A refusal of this request is audited against the resource and the keys it asked for. */
  private static String code(ApiRequest req, List<String> keys) {
    String code = req.path("code");
    req.context().put("govshare.auditResource", code);
    if (keys != null) {
      if (keys.size() == 1) {
        req.context().put("govshare.auditSubject", keys.get(0));
      }
      req.context().put("govshare.auditDetail", new JsonObject().put("keys", new JsonArray(keys)));
    }
    return code;
  }
}
