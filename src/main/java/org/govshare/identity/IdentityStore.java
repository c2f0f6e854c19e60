package org.govshare.identity;

import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;
import java.util.Set;

public interface IdentityStore {

  /** What every instance needs to know to honour revocation and rotation without a database call per request. */
  record ClientState(String clientId, int credentialVersion, boolean active, long changeSeq) {}

  Future<Optional<Department>> department(String code);

  Future<List<Department>> departments(Optional<String> kind, Optional<String> afterCode, int limit);

  /** Fails with a 409 problem when the code or credit code is taken. */
  Future<Department> insertDepartment(String code, String name, String kind, String creditCode);

  Future<Optional<ApiClient>> client(String clientId);

  Future<List<ApiClient>> clients(String department, Optional<String> afterClientId, int limit);

  Future<ApiClient> insertClient(String clientId, String department, String name, Set<Role> roles, String secretHash);

  /** New hash, credential version + 1: tokens issued before stop working. Empty if no such active client. */
  Future<Optional<ApiClient>> replaceSecret(String clientId, String secretHash);

  /** Empty if no such client; an already revoked client is returned unchanged. */
  Future<Optional<ApiClient>> revoke(String clientId);

  Future<Long> countActiveWithRole(Role role);

  Future<List<ClientState>> clientStatesChangedAfter(long changeSeq);

  /** The shared token signing key: the first instance to start creates it, all later ones read it. */
  Future<byte[]> signingKey(String id, byte[] candidate);
}
