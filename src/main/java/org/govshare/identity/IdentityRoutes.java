package org.govshare.identity;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Optional;
import java.util.Set;
import org.govshare.kernel.AuditAction;
import org.govshare.platform.Problem;
import org.govshare.platform.http.Api;
import org.govshare.platform.http.ApiRequest;
import org.govshare.platform.http.BodyLimit;
import org.govshare.platform.http.Reply;

public final class IdentityRoutes implements org.govshare.platform.http.Routes {
  private final IdentityService identity;
  private final TokenService tokens;

  public IdentityRoutes(IdentityService identity, TokenService tokens) {
    this.identity = identity;
    this.tokens = tokens;
  }

  @Override
  public void mount(Api api) {
    api.onUnvalidated("issueToken", AuditAction.TOKEN_ISSUE, BodyLimit.SMALL, Set.of("application/x-www-form-urlencoded", "application/json"),
        this::issueToken);
    api.on("createDepartment", AuditAction.DEPARTMENT_CREATE,
        req -> identity.createDepartment(req.caller(), new NewDepartment(req.body().getString("code"),
            req.body().getString("name"), req.body().getString("kind"), req.body().getString("creditCode"))).map(d -> Reply.created(d.toJson())
            .header("Location", "/api/v1/departments/" + d.code())));
    api.on("listDepartments", AuditAction.DEPARTMENT_READ,
        req -> identity.departments(req.query("kind"), req.page()).map(Reply::ok));
    api.on("getDepartment", AuditAction.DEPARTMENT_READ,
        req -> identity.department(req.path("code")).map(d -> Reply.ok(d.toJson())));
    api.on("createClient", AuditAction.CLIENT_CREATE,
        req -> identity.createClient(req.caller(), req.path("code"), newClient(req.body())).map(c -> Reply.created(c.toJson())
            .header("Location", "/api/v1/clients/" + c.client().clientId()).header("Cache-Control", "no-store")));
    api.on("listClients", AuditAction.CLIENT_LIST,
        req -> identity.clients(req.caller(), req.path("code"), req.page()).map(Reply::ok));
    api.on("rotateClientSecret", AuditAction.CLIENT_SECRET_ROTATE,
        req -> identity.rotateSecret(req.caller(), req.path("clientId")).map(c -> Reply.ok(c).header("Cache-Control", "no-store")));
    api.on("revokeClient", AuditAction.CLIENT_REVOKE,
        req -> identity.revoke(req.caller(), req.path("clientId")).map(v -> Reply.noContent()));
  }

  private Future<Reply> issueToken(ApiRequest req) {
    JsonObject form;
    Optional<String[]> basic;
    try {
      form = tokenRequest(req);
      basic = req.basicCredentials();
    } catch (Problem p) {
      throw p.with("error", "invalid_request");
    }
    String grantType = form.getString("grant_type");
    String clientId = basic.map(b -> b[0]).orElse(form.getString("client_id"));
    String secret = basic.map(b -> b[1]).orElse(form.getString("client_secret"));
    if (clientId != null) {
      ApiRequest.claimClient(req.context(), clientId.length() > 128 ? clientId.substring(0, 128) : clientId);
    }
    if (grantType == null) {
      throw Problem.invalid("grant_type", "is required and must be client_credentials").with("error", "invalid_request");
    }
    if (!"client_credentials".equals(grantType)) {
      throw new Problem(400, "UNSUPPORTED_GRANT_TYPE", "Unsupported grant type", "only grant_type=client_credentials is supported",
          java.util.List.of(), null).with("error", "unsupported_grant_type");
    }
    if (clientId == null || clientId.isBlank() || secret == null || secret.isBlank()) {
      throw Problem.invalid("client_id", "client_id and client_secret are required").with("error", "invalid_request");
    }
    if (clientId.length() > 128 || secret.length() > 512) {
      throw Problem.invalid("client_id", "client_id or client_secret is too long").with("error", "invalid_request");
    }
    var remote = req.context().request().remoteAddress();
    return tokens.issue(req.caller(), clientId, secret, remote == null ? "unknown" : remote.hostAddress())
        .map(t -> Reply.ok(t).header("Cache-Control", "no-store").header("Pragma", "no-cache"));
  }

  // the contract validator has checked the body's shape; role names are judged by the service
  private static NewClient newClient(JsonObject body) {
    java.util.List<String> roles = new java.util.ArrayList<>();
    body.getJsonArray("roles", new io.vertx.core.json.JsonArray()).forEach(r -> roles.add(String.valueOf(r)));
    return new NewClient(body.getString("name"), roles);
  }

  private static JsonObject tokenRequest(ApiRequest req) {
    var body = req.context().body();
    if (body == null || body.length() <= 0 || body.buffer() == null) {
      throw Problem.malformed("send grant_type, client_id and client_secret as a form or JSON body").with("error", "invalid_request");
    }
    String contentType = String.valueOf(req.header("Content-Type")).toLowerCase();
    if (contentType.startsWith("application/json")) {
      JsonObject json = req.body();
      for (String key : json.fieldNames()) {
        if (json.getValue(key) != null && !(json.getValue(key) instanceof String)) {
          throw Problem.invalid(key, "must be a string").with("error", "invalid_request");
        }
      }
      return json;
    }
    return req.form();
  }

}
