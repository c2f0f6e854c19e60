package org.govshare.identity;

import org.govshare.kernel.Role;
import org.govshare.kernel.Principal;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.govshare.kernel.AuditAction;
import org.govshare.kernel.AuditEntry;
import org.govshare.audit.AuditOf;
import org.govshare.kernel.Caller;
import org.govshare.kernel.Outcome;
import org.govshare.platform.Problem;
import org.govshare.platform.Problem.FieldError;
import org.govshare.platform.config.GovshareConfig.IdentityConfig;
import org.govshare.platform.http.PageRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Departments and their API clients: who may create, rotate and revoke what. */
public final class IdentityService {
  private static final Logger LOG = LoggerFactory.getLogger(IdentityService.class);
  public static final String ADMIN_CLIENT = "admin";
  private static final Pattern DEPARTMENT_CODE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{1,31}");
  private static final Set<String> KINDS = Set.of("BUREAU", "DEPARTMENT", "TOWNSHIP", "SUBDISTRICT", "INDUSTRIAL_ZONE");
  private static final String ID_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Vertx vertx;
  private final IdentityStore store;
  private final SecretHasher hasher;
  private final TokenService tokens;
  private final IdentityConfig config;

  public IdentityService(Vertx vertx, IdentityStore store, SecretHasher hasher, TokenService tokens, IdentityConfig config) {
    this.vertx = vertx;
    this.store = store;
    this.hasher = hasher;
    this.tokens = tokens;
    this.config = config;
  }

  public String bureauCode() {
    return config.bureauCode();
  }

  /** First start: the bureau department and its {@code admin} client. Idempotent, safe when instances start together. */
  public Future<Void> bootstrap(Path dataDir) {
    Caller system = Caller.system("bootstrap");
    return store.department(config.bureauCode())
        .compose(found -> found.isPresent()
            ? Future.succeededFuture()
            : store.insertDepartment(config.bureauCode(), config.bureauName(), "BUREAU", null,
                    AuditOf.one(d -> AuditEntry.of(system, AuditAction.DEPARTMENT_CREATE, null, d.code(), Outcome.OK,
                        new JsonObject().put("kind", "BUREAU").put("bootstrap", true))))
                .recover(e -> e instanceof Problem p && p.status() == 409 ? Future.succeededFuture() : Future.failedFuture(e)))
        .compose(v -> store.client(ADMIN_CLIENT))
        .compose(found -> {
          if (found.isPresent()) {
            return warnIfAdminSecretIgnored(found.get()).map(v -> null);
          }
          boolean generated = config.adminSecret().isEmpty();
          String secret = config.adminSecret().orElseGet(SecretHasher::newSecret);
          return vertx.executeBlocking(() -> {
                String hash = hasher.hash(secret);
                if (generated) {
                  writeSecretFile(dataDir.resolve("admin-secret.txt"), secret);
                }
                return hash;
              })
              .compose(hash -> store.insertClient(ADMIN_CLIENT, config.bureauCode(), "bureau administrator",
                  EnumSet.of(Role.PLATFORM_ADMIN), hash, AuditOf.one(c -> AuditEntry.of(system, AuditAction.CLIENT_CREATE, null,
                      c.clientId(), Outcome.OK, new JsonObject().put("department", c.department())
                          .put("roles", new JsonArray().add("PLATFORM_ADMIN")).put("bootstrap", true)
                          .put("secretSource", generated ? "generated" : "GOVSHARE_ADMIN_SECRET")))))
              .recover(e -> e instanceof Problem p && p.status() == 409 ? Future.succeededFuture() : Future.failedFuture(e))
              .onSuccess(v -> {
                if (generated) {
                  LOG.info("created client 'admin'; its secret was written to {}", dataDir.resolve("admin-secret.txt"));
                }
              });
        })
        .mapEmpty();
  }

  /** GOVSHARE_ADMIN_SECRET is read on the first start only; a later change would otherwise go unnoticed. */
  private Future<Void> warnIfAdminSecretIgnored(ApiClient admin) {
    if (config.adminSecret().isEmpty()) {
      return Future.succeededFuture();
    }
    String configured = config.adminSecret().get();
    return vertx.executeBlocking(() -> hasher.matches(configured, admin.secretHash())).map(same -> {
      if (!same) {
        LOG.warn("GOVSHARE_ADMIN_SECRET is set but is not the secret of client 'admin': it is used on the first start only and"
            + " is ignored now; the existing secret stays valid (rotate it with POST /api/v1/clients/admin/secret)");
      }
      return null;
    });
  }

  private static void writeSecretFile(Path file, String secret) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, secret + "\n", StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING);
      try {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException ignored) {
        // not a POSIX file system
      }
    } catch (java.io.IOException e) {
      throw new IllegalStateException("cannot write the admin secret to " + file + ": " + e.getMessage(), e);
    }
  }

  public Future<Department> createDepartment(Caller caller, NewDepartment command) {
    requirePlatformAdmin(caller, "create departments");
    String code = command.code();
    String name = command.name() == null ? "" : command.name().trim();
    String kind = command.kind();
    String creditCode = command.creditCode();
    List<FieldError> invalid = new ArrayList<>();
    if (code == null || !DEPARTMENT_CODE.matcher(code).matches()) {
      invalid.add(new FieldError("code", "must be 2-32 letters, digits, '-' or '_', starting with a letter or digit"));
    }
    if (name.isEmpty() || org.govshare.platform.Text.length(name) > 100) {
      invalid.add(new FieldError("name", "must be 1-100 characters"));
    }
    if (kind == null || !KINDS.contains(kind)) {
      invalid.add(new FieldError("kind", "must be one of " + new java.util.TreeSet<>(KINDS)));
    }
    if (!invalid.isEmpty()) {
      throw Problem.invalid(invalid);
    }
    if (creditCode != null) {
      String problem = CreditCode.problem(creditCode);
      if (problem != null) {
        throw Problem.rule("creditCode", "is not a valid unified social credit code (GB 32100): " + problem);
      }
    }
    if ("BUREAU".equals(kind)) {
      throw Problem.rule("kind", "the platform has exactly one bureau department (" + config.bureauCode() + "), created at first start");
    }
    return store.insertDepartment(code, name, kind, creditCode,
        AuditOf.one(d -> AuditEntry.of(caller, AuditAction.DEPARTMENT_CREATE, null, d.code(), Outcome.OK, d.toJson())));
  }

  public Future<Department> department(String code) {
    return store.department(code).map(d -> d.orElseThrow(() -> Problem.notFound("department", code)));
  }

  public Future<JsonObject> departments(Optional<String> kind, PageRequest page) {
    Optional<String> after = page.first() ? Optional.empty() : Optional.of(page.stringKey(1, 0));
    return store.departments(kind, after, page.fetchSize())
        .map(rows -> page.page(rows, Department::toJson, d -> new Object[] {d.code()}));
  }

  public Future<IssuedClient> createClient(Caller caller, String departmentCode, NewClient command) {
    authorizeClientAdmin(caller, departmentCode);
    String name = command.name() == null ? "" : command.name().trim();
    List<FieldError> invalid = new ArrayList<>();
    if (name.isEmpty() || org.govshare.platform.Text.length(name) > 100) {
      invalid.add(new FieldError("name", "must be 1-100 characters"));
    }
    Set<Role> roles = EnumSet.noneOf(Role.class);
    List<String> rawRoles = command.roles();
    if (rawRoles.isEmpty()) {
      invalid.add(new FieldError("roles", "at least one role is required"));
    }
    for (int i = 0; i < rawRoles.size(); i++) {
      try {
        if (!roles.add(Role.valueOf(rawRoles.get(i)))) {
          invalid.add(new FieldError("roles[" + i + "]", "is listed twice"));
        }
      } catch (IllegalArgumentException e) {
        invalid.add(new FieldError("roles[" + i + "]", "must be one of " + java.util.Arrays.toString(Role.values())));
      }
    }
    if (!invalid.isEmpty()) {
      throw Problem.invalid(invalid);
    }
    authorizePrivileged(caller, roles, "grants PLATFORM_ADMIN or AUDITOR");
    List<FieldError> broken = roles().problems(departmentCode, roles);
    if (!broken.isEmpty()) {
      throw Problem.rule(broken);
    }
    String secret = SecretHasher.newSecret();
    String clientId = newClientId(departmentCode);
    return department(departmentCode)
        .compose(d -> vertx.executeBlocking(() -> hasher.hash(secret), false))
        .compose(hash -> store.insertClient(clientId, departmentCode, name, roles, hash,
            AuditOf.one(c -> AuditEntry.of(caller, AuditAction.CLIENT_CREATE, null, c.clientId(), Outcome.OK,
                new JsonObject().put("department", departmentCode).put("roles", c.toJson().getJsonArray("roles")).put("name", name)))))
        .compose(c -> tokens.clientChanged(c).map(v -> new IssuedClient(c, secret)));
  }

  public Future<JsonObject> clients(Caller caller, String departmentCode, PageRequest page) {
    authorizeClientAdmin(caller, departmentCode);
    Optional<String> after = page.first() ? Optional.empty() : Optional.of(page.stringKey(1, 0));
    return department(departmentCode)
        .compose(d -> store.clients(departmentCode, after, page.fetchSize()))
        .map(rows -> page.page(rows, ApiClient::toJson, c -> new Object[] {c.clientId()}));
  }

  public Future<JsonObject> rotateSecret(Caller caller, String clientId) {
    return existingClient(clientId).compose(c -> {
      authorizeClientAdmin(caller, c.department());
      authorizePrivileged(caller, c.roles(), "rotates the secret of a client holding PLATFORM_ADMIN or AUDITOR");
      if (!c.active()) {
        return Future.failedFuture(Problem.conflict("client " + clientId + " is revoked; create a new client instead"));
      }
      String secret = SecretHasher.newSecret();
      return vertx.executeBlocking(() -> hasher.hash(secret), false)
          .compose(hash -> store.replaceSecret(clientId, hash, AuditOf.one(u -> AuditEntry.of(caller,
              AuditAction.CLIENT_SECRET_ROTATE, null, clientId, Outcome.OK,
              new JsonObject().put("department", u.department()).put("credentialVersion", u.credentialVersion())))))
          .compose(updated -> updated.isEmpty()
              ? Future.failedFuture(Problem.conflict("client " + clientId + " was revoked meanwhile"))
              : Future.succeededFuture(updated.get()))
          .compose(u -> tokens.clientChanged(u).map(v -> new JsonObject().put("clientId", clientId).put("clientSecret", secret)
              .put("rotatedAt", org.govshare.platform.Times.format(u.updatedAt()))));
    });
  }

  public Future<Void> revoke(Caller caller, String clientId) {
    return existingClient(clientId).compose(c -> {
      authorizeClientAdmin(caller, c.department());
      authorizePrivileged(caller, c.roles(), "revokes a client holding PLATFORM_ADMIN or AUDITOR");
      if (!c.active()) {
        return Future.succeededFuture();
      }
      return store.revoke(clientId, config.bureauCode(), AuditOf.one(revoked -> AuditEntry.of(caller, AuditAction.CLIENT_REVOKE,
              null, clientId, Outcome.OK, new JsonObject().put("department", revoked.department()))))
          .compose(r -> {
            if (r.lastPlatformAdmin()) {
              return Future.failedFuture(
                  Problem.conflict("client " + clientId + " is the last active platform administrator; create another first"));
            }
            ApiClient revoked = r.client().orElseThrow(() -> Problem.notFound("client", clientId));
            return tokens.clientChanged(revoked);
          });
    });
  }

  /**
   * The operator's way back in when every admin credential is lost, run on the server machine
   * ({@code reset-admin-secret}): a new secret for {@code admin}, which is active and PLATFORM_ADMIN
   * again afterwards; the secret goes to a 0600 file in the data directory, never to the log.
   */
  public Future<Path> resetAdminSecret(Path dataDir) {
    Caller operator = Caller.system("reset-admin-secret");
    String secret = SecretHasher.newSecret();
    Path file = dataDir.resolve("admin-secret.txt");
    return store.client(ADMIN_CLIENT).compose(before -> vertx.executeBlocking(() -> hasher.hash(secret))
        .compose(hash -> store.resetAdmin(ADMIN_CLIENT, config.bureauCode(), "bureau administrator", hash, AuditOf.one(after ->
            AuditEntry.of(operator, AuditAction.CLIENT_SECRET_ROTATE, null, ADMIN_CLIENT, Outcome.OK, new JsonObject()
                .put("department", after.department()).put("credentialVersion", after.credentialVersion())
                .put("reset", true).put("created", before.isEmpty())
                .put("reactivated", before.isPresent() && !before.get().active())
                .put("platformAdminRestored", before.isPresent() && !before.get().roles().contains(Role.PLATFORM_ADMIN))))))
        .compose(after -> vertx.executeBlocking(() -> {
              writeSecretFile(file, secret);
              return after;
            }))
        .compose(after -> tokens.clientChanged(after).map(file)));
  }

  private Future<ApiClient> existingClient(String clientId) {
    return store.client(clientId).map(c -> c.orElseThrow(() -> Problem.notFound("client", clientId)));
  }

  private static void requirePlatformAdmin(Caller caller, String what) {
    if (!caller.principal().isPlatformAdmin()) {
      throw Problem.forbidden("only a platform administrator may " + what);
    }
  }

  private RolePolicy roles() {
    return new RolePolicy(config.bureauCode());
  }

  /** Only a platform administrator hands out or manages the bureau's own powers. */
  private static void authorizePrivileged(Caller caller, Set<Role> roles, String what) {
    if (RolePolicy.privileged(roles) && !caller.principal().isPlatformAdmin()) {
      throw Problem.forbidden("only a platform administrator " + what);
    }
  }

  private static void authorizeClientAdmin(Caller caller, String departmentCode) {
    Principal p = caller.principal();
    if (p.isPlatformAdmin()) {
      return;
    }
    if (p.has(Role.DEPT_ADMIN) && p.department().equals(departmentCode)) {
      return;
    }
    throw Problem.forbidden("managing clients of department " + departmentCode
        + " needs PLATFORM_ADMIN or DEPT_ADMIN of that department");
  }

  private static String newClientId(String departmentCode) {
    StringBuilder sb = new StringBuilder(departmentCode.toLowerCase()).append('-');
    for (int i = 0; i < 10; i++) {
      sb.append(ID_ALPHABET.charAt(RANDOM.nextInt(ID_ALPHABET.length())));
    }
    return sb.toString();
  }
}
