package org.govshare.identity;

import org.govshare.kernel.Role;
import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.govshare.audit.AuditOf;

public interface IdentityStore {

  /** What every instance needs to know to honour revocation and rotation without a database call per request. */
  record ClientState(String clientId, String department, Set<Role> roles, int credentialVersion, boolean active, long changeSeq) {
    public ClientState {
      roles = Set.copyOf(roles);
    }

    static ClientState of(ApiClient c, long changeSeq) {
      return new ClientState(c.clientId(), c.department(), c.roles(), c.credentialVersion(), c.active(), changeSeq);
    }
  }

  /** How a revocation ended; {@code client} is the row afterwards (empty when there is no such client). */
  record Revocation(Optional<ApiClient> client, boolean lastPlatformAdmin) {}

  Future<Optional<Department>> department(String code);

  Future<List<Department>> departments(Optional<String> kind, Optional<String> afterCode, int limit);

  /** Fails with a 409 problem when the code or credit code is taken. The audit records commit with the department. */
  Future<Department> insertDepartment(String code, String name, String kind, String creditCode, AuditOf<Department> audit);

  Future<Optional<ApiClient>> client(String clientId);

  Future<List<ApiClient>> clients(String department, Optional<String> afterClientId, int limit);

  Future<ApiClient> insertClient(String clientId, String department, String name, Set<Role> roles, String secretHash,
      AuditOf<ApiClient> audit);

  /** New hash, credential version + 1: tokens issued before stop working. Empty if no such active client. */
  Future<Optional<ApiClient>> replaceSecret(String clientId, String secretHash, AuditOf<ApiClient> audit);

  /**
   * Revokes unless the client is the last active PLATFORM_ADMIN of {@code bureau}: the check, the
   * update and its audit record are one atomic step, so two admins revoking each other at once
   * cannot both succeed. An already revoked client is returned unchanged, and nothing is recorded.
   */
  Future<Revocation> revoke(String clientId, String bureau, AuditOf<ApiClient> audit);

  /**
   * The way back in: the client {@code clientId} of {@code bureau} gets a new secret hash, ACTIVE
   * and PLATFORM_ADMIN (created if missing), credential version + 1.
   */
  Future<ApiClient> resetAdmin(String clientId, String bureau, String name, String secretHash, AuditOf<ApiClient> audit);

  Future<List<ClientState>> clientStatesChangedAfter(long changeSeq);

  /** The shared token signing key: the first instance to start creates it, all later ones read it. */
  Future<byte[]> signingKey(String id, byte[] candidate);
}
