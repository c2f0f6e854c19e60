package org.govshare.identity;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.govshare.audit.AuditAction;
import org.govshare.audit.AuditEntry;
import org.govshare.audit.AuditWriter;
import org.govshare.audit.Caller;
import org.govshare.audit.Outcome;
import org.govshare.identity.IdentityStore.ClientState;
import org.govshare.platform.Periodic;
import org.govshare.platform.Problem;
import org.govshare.platform.config.GovshareConfig.IdentityConfig;

/**
 * Issues and checks bearer tokens. A department system reuses its token for an hour, so a verified
 * token is cached until it expires: the hot path is two map look-ups, no signature check. Every
 * token names its client's credential version; rotation and revocation bump the version, locally
 * at once and on other instances at their next poll, which makes older tokens fail.
 */
public final class TokenService {
  private static final String ISSUER = "govshare";
  private static final String KEY_ID = "hs256-1";

  private final Vertx vertx;
  private final IdentityStore store;
  private final SecretHasher hasher;
  private final AuditWriter audit;
  private final IdentityConfig config;
  private final Map<String, Principal> verified = new ConcurrentHashMap<>();
  private final Map<String, ClientState> clients = new ConcurrentHashMap<>();
  private final Counter cacheHits;
  private final Counter cacheMisses;
  private final String dummyHash;
  private volatile long lastChangeSeq = Long.MIN_VALUE / 2;
  private JWTAuth jwt;
  private Periodic poller;

  public TokenService(Vertx vertx, IdentityStore store, SecretHasher hasher, AuditWriter audit, IdentityConfig config,
      MeterRegistry registry) {
    this.vertx = vertx;
    this.store = store;
    this.hasher = hasher;
    this.audit = audit;
    this.config = config;
    this.cacheHits = Counter.builder("govshare_token_cache").tag("result", "hit").register(registry);
    this.cacheMisses = Counter.builder("govshare_token_cache").tag("result", "miss").register(registry);
    this.dummyHash = hasher.hash(SecretHasher.newSecret());
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
  }

  private Future<Void> refreshClientStates() {
    return store.clientStatesChangedAfter(lastChangeSeq).map(states -> {
      for (ClientState s : states) {
        clients.merge(s.clientId(), s, (old, neu) -> neu.changeSeq() >= old.changeSeq() ? neu : old);
        lastChangeSeq = Math.max(lastChangeSeq, s.changeSeq());
      }
      return null;
    });
  }

  /** Called by the identity service right after a client changed here, so this instance acts at once. */
  void clientChanged(ApiClient c) {
    clients.compute(c.clientId(), (id, old) -> {
      long seq = old == null ? Long.MIN_VALUE : old.changeSeq();
      return new ClientState(c.clientId(), c.credentialVersion(), c.active(), seq);
    });
  }

  /** OAuth2 client-credentials. The secret check is slow on purpose and runs on a worker. */
  public Future<JsonObject> issue(Caller caller, String clientId, String secret) {
    return store.client(clientId).compose(found -> vertx.executeBlocking(() -> {
      boolean ok = found.isPresent() && found.get().active() && hasher.matches(secret, found.get().secretHash());
      if (found.isEmpty()) {
        hasher.matches(secret, dummyHash); // same work whether or not the client exists
      }
      return ok ? found.get() : null;
    }, false)).compose(client -> {
      if (client == null) {
        return Future.failedFuture(new Problem(401, "INVALID_CLIENT", "Invalid client credentials",
            "unknown client, revoked client or wrong secret", java.util.List.of(), null).with("error", "invalid_client"));
      }
      clientChanged(client);
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

  public Future<Principal> verify(String token) {
    Principal cached = verified.get(token);
    if (cached != null) {
      if (stillValid(cached, clients.get(cached.clientId()))) {
        cacheHits.increment();
        return Future.succeededFuture(cached);
      }
      verified.remove(token);
      return Future.failedFuture(Problem.unauthenticated("the token has expired or its client was revoked or rotated"));
    }
    cacheMisses.increment();
    return jwt.authenticate(new TokenCredentials(token))
        .recover(e -> Future.failedFuture(Problem.unauthenticated("the token is not valid: " + safeReason(e))))
        .compose(user -> {
          JsonObject claims = user.attributes().getJsonObject("accessToken", new JsonObject());
          Principal p;
          try {
            Set<Role> roles = EnumSet.noneOf(Role.class);
            claims.getJsonArray("roles").forEach(r -> roles.add(Role.valueOf((String) r)));
            p = new Principal(claims.getString("sub"), claims.getString("dept"), roles, claims.getInteger("cv"), claims.getLong("exp"));
          } catch (RuntimeException e) {
            return Future.failedFuture(Problem.unauthenticated("the token lacks govshare claims"));
          }
          return stateOf(p.clientId()).compose(state -> {
            if (!stillValid(p, state)) {
              return Future.failedFuture(Problem.unauthenticated("the token has expired or its client was revoked or rotated"));
            }
            if (verified.size() >= config.tokenCacheSize()) {
              verified.clear(); // crude but bounded; a full cache means an unusual burst of distinct tokens
            }
            verified.put(token, p);
            return Future.succeededFuture(p);
          });
        });
  }

  private Future<ClientState> stateOf(String clientId) {
    ClientState known = clients.get(clientId);
    if (known != null) {
      return Future.succeededFuture(known);
    }
    // created on another instance since our last poll
    return store.client(clientId).map(found -> found
        .map(c -> clients.computeIfAbsent(clientId, id -> new ClientState(id, c.credentialVersion(), c.active(), Long.MIN_VALUE)))
        .orElse(null));
  }

  private static boolean stillValid(Principal p, ClientState state) {
    return state != null && state.active() && state.credentialVersion() == p.credentialVersion()
        && p.expiresAtEpochSecond() > System.currentTimeMillis() / 1000;
  }

  private static String safeReason(Throwable e) {
    String m = Optional.ofNullable(e.getMessage()).orElse("rejected");
    return m.length() > 120 ? m.substring(0, 120) : m;
  }
}
