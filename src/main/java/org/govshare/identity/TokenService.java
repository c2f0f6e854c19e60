package org.govshare.identity;

import org.govshare.kernel.Role;
import org.govshare.kernel.Principal;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.govshare.kernel.AuditAction;
import org.govshare.kernel.AuditEntry;
import org.govshare.audit.AuditWriter;
import org.govshare.kernel.Caller;
import org.govshare.kernel.Outcome;
import org.govshare.identity.IdentityStore.ClientState;
import org.govshare.platform.Periodic;
import org.govshare.platform.Problem;
import org.govshare.platform.cluster.Invalidation;
import org.govshare.platform.config.GovshareConfig.IdentityConfig;

/**
 * Issues and checks bearer tokens. A department system reuses its token for an hour, so a verified
 * token is cached (bounded, until it expires): the hot path is two look-ups, no signature check. Every
 * token names its client's credential version; rotation and revocation bump the version, which makes
 * older tokens fail: here at once, on the other instances of a cluster before the change is answered
 * ({@link Invalidation}), and on instances sharing the database without a cluster at their next poll.
 */
public final class TokenService {
  private static final String ISSUER = "govshare";
  private static final String KEY_ID = "hs256-1";

  private final Vertx vertx;
  private final IdentityStore store;
  private final SecretHasher hasher;
  private final AuditWriter audit;
  private final IdentityConfig config;
  private final Cache<String, Verified> verified;
  private final Map<String, ClientState> clients = new ConcurrentHashMap<>();
  // a client state read from the database is cached only if no invalidation came in meanwhile
  private final Object cacheLock = new Object();
  private long generation;
  private final Invalidation invalidation;
  private final RolePolicy roles;
  private final String dummyHash;
  private volatile long lastChangeSeq = Long.MIN_VALUE / 2;
  private final LoginGuard guard;
  private final WorkerExecutor hashing;
  private JWTAuth jwt;
  private Periodic poller;

  public TokenService(Vertx vertx, IdentityStore store, SecretHasher hasher, AuditWriter audit, IdentityConfig config,
      MeterRegistry registry, Invalidation invalidation) {
    this.vertx = vertx;
    this.invalidation = invalidation;
    this.store = store;
    this.hasher = hasher;
    this.audit = audit;
    this.config = config;
    this.roles = new RolePolicy(config.bureauCode());
    this.verified = Caffeine.newBuilder()
        .maximumSize(config.tokenCacheSize())
        .expireAfter(Expiry.<String, Verified>creating((token, v) -> v.claims().remaining()))
        .recordStats()
        .build();
    CaffeineCacheMetrics.monitor(registry, verified, "tokens");
    this.dummyHash = hasher.hash(SecretHasher.newSecret());
    this.guard = new LoginGuard(config.login());
    // its own threads: a burst of secret checks neither waits behind nor starves other blocking work
    this.hashing = vertx.createSharedWorkerExecutor("govshare-secret-check", Runtime.getRuntime().availableProcessors());
    invalidation.register("client", new Invalidation.Target() {
      @Override
      public Future<Void> drop(List<String> clientIds) {
        synchronized (cacheLock) {
          generation++;
          clientIds.forEach(clients::remove);
        }
        return Future.succeededFuture();
      }

      @Override
      public void clear() {
        synchronized (cacheLock) {
          generation++;
          clients.clear();
        }
        verified.invalidateAll();
      }
    });
  }

  public Future<Void> start() {
    byte[] candidate = new byte[64];
    new SecureRandom().nextBytes(candidate);
    return store.signingKey(KEY_ID, candidate).compose(key -> {
      jwt = JWTAuth.create(vertx, new JWTAuthOptions()
          .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(Base64.getEncoder().encodeToString(key)))
          .setJWTOptions(new JWTOptions().setIssuer(ISSUER)));
      return refreshClientStates();
    }).onSuccess(v -> poller = Periodic.every(vertx, config.revocationPollMs(), "refreshing client states",
        this::refreshClientStates));
  }

  public void stop() {
    if (poller != null) {
      poller.cancel();
    }
    hashing.close();
  }

  private Future<Void> refreshClientStates() {
    return store.clientStatesChangedAfter(lastChangeSeq).map(states -> {
      for (ClientState s : states) {
        // only what is cached: a state absent here is read when needed, and one dropped by an invalidation stays dropped
        clients.computeIfPresent(s.clientId(), (id, old) -> newer(old, s));
        lastChangeSeq = Math.max(lastChangeSeq, s.changeSeq());
      }
      return null;
    });
  }

  /**
   * Called by the identity service right after a client changed here (before it answers): this
   * instance acts at once, the others of a cluster when the returned future completes.
   */
  Future<Void> clientChanged(ApiClient c) {
    learn(c);
    return invalidation.changed("client", List.of(c.clientId()));
  }

  private void learn(ApiClient c) {
    clients.compute(c.clientId(), (id, old) -> old == null ? ClientState.of(c, Long.MIN_VALUE) : newer(old, ClientState.of(c, old.changeSeq())));
  }

  /**
   * Every change of a client (rotation, revocation, reset) raises its credential version, so a
   * state with a lower one is stale, whichever path brought it; an unchanged state keeps its
   * object, so tokens verified against it stay cached.
   */
  private static ClientState newer(ClientState old, ClientState neu) {
    if (neu.credentialVersion() != old.credentialVersion()) {
      return neu.credentialVersion() > old.credentialVersion() ? neu : old;
    }
    return neu.changeSeq() > old.changeSeq() ? neu : old;
  }

  /**
   * OAuth2 client-credentials. The secret check is slow on purpose and runs on the hashing workers;
   * the guard refuses before it when this client id or address has failed too often. Unknown and
   * revoked clients cost the same hashing as a wrong secret, so timing tells nothing.
   */
  public Future<JsonObject> issue(Caller caller, String clientId, String secret, String address) {
    guard.admit(clientId, address);
    return store.client(clientId)
        .compose(found -> hashing.executeBlocking(() -> {
          boolean matches = hasher.matches(secret, found.map(ApiClient::secretHash).orElse(dummyHash));
          return matches && found.get().active() ? found.get() : null;
        }, false))
        .andThen(ar -> {
          guard.release(address);
          if (ar.succeeded()) {
            guard.record(clientId, address, ar.result() != null);
          }
        })
        .compose(client -> {
          if (client == null) {
            return Future.failedFuture(new Problem(401, "INVALID_CLIENT", "Invalid client credentials",
                "unknown client, revoked client or wrong secret", java.util.List.of(), null).with("error", "invalid_client"));
          }
          learn(client);
          JsonArray roles = new JsonArray();
          client.roles().stream().map(Role::name).sorted().forEach(roles::add);
          JsonObject claims = new JsonObject()
              .put("sub", client.clientId())
              .put("dept", client.department())
              .put("roles", roles)
              .put("cv", client.credentialVersion())
              .put("jti", UUID.randomUUID().toString());
          String token = jwt.generateToken(claims, new JWTOptions()
              .setAlgorithm("HS256")
              .setIssuer(ISSUER)
              .setExpiresInSeconds(config.tokenTtlSeconds()));
          Caller who = Caller.of(new Principal(client.clientId(), client.department(), client.roles(), client.credentialVersion(), 0),
              caller.requestId());
          return audit.append(AuditEntry.of(who, AuditAction.TOKEN_ISSUE, null, client.clientId(), Outcome.OK,
                  new JsonObject().put("roles", roles).put("expiresIn", config.tokenTtlSeconds())))
              .map(seq -> new JsonObject()
                  .put("access_token", token)
                  .put("token_type", "Bearer")
                  .put("expires_in", config.tokenTtlSeconds())
                  .put("scope", String.join(" ", roles.stream().map(Object::toString).toList())));
        });
  }

  /**
   * The token proves who calls; what the caller may do comes from its client's state now: the
   * token's department and roles must match it, and the principal is built from it.
   */
  public Future<Principal> verify(String token) {
    Verified hit = invalidation.fresh() ? verified.getIfPresent(token) : null;
    if (hit != null) {
      ClientState now = clients.get(hit.claims().clientId());
      if (now == hit.basis() && !hit.claims().expired()) {
        return Future.succeededFuture(hit.principal());
      }
      verified.invalidate(token);
      return now != null ? admit(token, hit.claims(), now) : stateOf(hit.claims().clientId()).compose(state -> admit(token, hit.claims(), state));
    }
    Future<io.vertx.ext.auth.User> checked;
    try {
      checked = jwt.authenticate(new TokenCredentials(token));
    } catch (RuntimeException e) {
      checked = Future.failedFuture(e);
    }
    return checked
        .recover(e -> Future.failedFuture(Problem.unauthenticated("the token is not valid: " + safeReason(e))))
        .compose(user -> {
          Claims claims = Claims.parse(user.attributes().getValue("accessToken"));
          if (claims == null) {
            return Future.failedFuture(Problem.unauthenticated("the token lacks govshare claims or they have the wrong types"));
          }
          return stateOf(claims.clientId()).compose(state -> admit(token, claims, state));
        });
  }

  private Future<Principal> admit(String token, Claims claims, ClientState state) {
    if (state == null || !state.active() || state.credentialVersion() != claims.credentialVersion() || claims.expired()) {
      return Future.failedFuture(Problem.unauthenticated("the token has expired or its client was revoked or rotated"));
    }
    if (!state.department().equals(claims.department()) || !state.roles().containsAll(claims.roles())) {
      return Future.failedFuture(Problem.unauthenticated("the token's department or roles are not its client's"));
    }
    Principal p = new Principal(state.clientId(), state.department(), roles.effective(state.department(), claims.roles()),
        state.credentialVersion(), claims.expiresAt());
    verified.put(token, new Verified(claims, state, p));
    return Future.succeededFuture(p);
  }

  /** The govshare claims of a token whose signature, issuer and expiry vertx-auth accepted; null when any is missing or mistyped. */
  record Claims(String clientId, String department, Set<Role> roles, int credentialVersion, long expiresAt) {
    static Claims parse(Object raw) {
      if (!(raw instanceof JsonObject c)) {
        return null;
      }
      if (!(c.getValue("sub") instanceof String sub) || sub.isBlank() || !(c.getValue("dept") instanceof String dept)
          || !(c.getValue("roles") instanceof JsonArray list) || !(c.getValue("cv") instanceof Integer cv)
          || !(c.getValue("exp") instanceof Number exp) || !(exp instanceof Integer || exp instanceof Long)) {
        return null;
      }
      Set<Role> roles = EnumSet.noneOf(Role.class);
      for (Object r : list) {
        if (!(r instanceof String name)) {
          return null;
        }
        try {
          roles.add(Role.valueOf(name));
        } catch (IllegalArgumentException e) {
          return null;
        }
      }
      return new Claims(sub, dept, roles, cv, exp.longValue());
    }

    boolean expired() {
      return expiresAt <= System.currentTimeMillis() / 1000;
    }

    Duration remaining() {
      return Duration.ofSeconds(Math.max(0, expiresAt - System.currentTimeMillis() / 1000));
    }
  }

  /** A verified token, good as long as its client's state is still the one it was checked against. */
  private record Verified(Claims claims, ClientState basis, Principal principal) {}

  private Future<ClientState> stateOf(String clientId) {
    ClientState known = invalidation.fresh() ? clients.get(clientId) : null;
    if (known != null) {
      return Future.succeededFuture(known);
    }
    long before;
    synchronized (cacheLock) {
      before = generation;
    }
    // not cached, dropped by an invalidation, or this instance's lease ran out: the database decides
    return store.client(clientId).map(found -> found.map(c -> {
      ClientState read = ClientState.of(c, Long.MIN_VALUE);
      synchronized (cacheLock) {
        return generation == before && invalidation.fresh() ? clients.merge(clientId, read, TokenService::newer) : read;
      }
    }).orElse(null));
  }

  private static String safeReason(Throwable e) {
    String m = Optional.ofNullable(e.getMessage()).orElse("rejected");
    return m.length() > 120 ? m.substring(0, 120) : m;
  }
}
