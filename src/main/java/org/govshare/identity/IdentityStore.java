package org.govshare.identity;

import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.govshare.audit.AuditOf;

public interface IdentityStore {

  /** What every instance needs to know to honour revocation and rotation without a database call per request. */
  record ClientState(String clientId, int credentialVersion, boolean active, long changeSeq) {}

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

  /** Empty if no such client; an already revoked client is returned unchanged, and then nothing is recorded. */
  Future<Optional<ApiClient>> revoke(String clientId, AuditOf<ApiClient> audit);

  Future<Long> countActiveWithRole(Role role);

  Future<List<ClientState>> clientStatesChangedAfter(long changeSeq);

  /** The shared token signing key: the first instance to start creates it, all later ones read it. */
  Future<byte[]> signingKey(String id, byte[] candidate);
}
