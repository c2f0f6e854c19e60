package org.govshare.identity;

import static org.govshare.platform.db.Rows.first;
import static org.govshare.platform.db.Rows.isUniqueViolation;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.govshare.audit.AuditOf;
import org.govshare.platform.Problem;

public final class PgIdentityStore implements IdentityStore {
  static final String DEPARTMENT = "SELECT code, name, kind, credit_code, created_at FROM department WHERE code = $1";
  static final String DEPARTMENTS = """
      SELECT code, name, kind, credit_code, created_at FROM department
      WHERE ($1::text IS NULL OR kind = $1) AND ($2::text IS NULL OR code > $2)
      ORDER BY code LIMIT $3""";
  static final String INSERT_DEPARTMENT = """
      INSERT INTO department (code, name, kind, credit_code) VALUES ($1, $2, $3, $4)
      RETURNING code, name, kind, credit_code, created_at""";
  static final String CLIENT_COLUMNS =
      "client_id, department, name, roles, secret_hash, credential_version, status, created_at, updated_at";
  static final String CLIENT = "SELECT " + CLIENT_COLUMNS + " FROM api_client WHERE client_id = $1";
  static final String CLIENTS = "SELECT " + CLIENT_COLUMNS
      + " FROM api_client WHERE department = $1 AND ($2::text IS NULL OR client_id > $2) ORDER BY client_id LIMIT $3";
  static final String INSERT_CLIENT = "INSERT INTO api_client (client_id, department, name, roles, secret_hash) "
      + "VALUES ($1, $2, $3, $4, $5) RETURNING " + CLIENT_COLUMNS;
  static final String REPLACE_SECRET = """
      UPDATE api_client SET secret_hash = $2, credential_version = credential_version + 1, updated_at = now(),
        change_seq = nextval('client_change_seq')
      WHERE client_id = $1 AND status = 'ACTIVE' RETURNING """ + " " + CLIENT_COLUMNS;
  static final String REVOKE = """
      UPDATE api_client SET status = 'REVOKED', credential_version = credential_version + 1, updated_at = now(),
        change_seq = nextval('client_change_seq')
      WHERE client_id = $1 AND status = 'ACTIVE' RETURNING """ + " " + CLIENT_COLUMNS;
  static final String COUNT_ACTIVE_WITH_ROLE = "SELECT count(*) FROM api_client WHERE status = 'ACTIVE' AND $1 = ANY(roles)";
  // rows whose change_seq was taken shortly before but committed late are picked up by the overlap
  static final String CHANGED_AFTER = """
      SELECT client_id, credential_version, status, change_seq FROM api_client
      WHERE change_seq > $1 - 1000 ORDER BY change_seq""";
  static final String INSERT_KEY = "INSERT INTO signing_key (id, algorithm, secret) VALUES ($1, 'HS256', $2) ON CONFLICT (id) DO NOTHING";
  static final String KEY = "SELECT secret FROM signing_key WHERE id = $1";

  private final Pool pool;

  public PgIdentityStore(Pool pool) {
    this.pool = pool;
  }

  @Override
  public Future<Optional<Department>> department(String code) {
    return pool.preparedQuery(DEPARTMENT).execute(Tuple.of(code)).map(rows -> first(rows, PgIdentityStore::department));
  }

  @Override
  public Future<List<Department>> departments(Optional<String> kind, Optional<String> afterCode, int limit) {
    return pool.preparedQuery(DEPARTMENTS)
        .execute(Tuple.of(kind.orElse(null), afterCode.orElse(null), limit))
        .map(rows -> {
          List<Department> out = new ArrayList<>();
          rows.forEach(r -> out.add(department(r)));
          return out;
        });
  }

  @Override
  public Future<Department> insertDepartment(String code, String name, String kind, String creditCode, AuditOf<Department> audit) {
    return pool.withTransaction(conn -> conn.preparedQuery(INSERT_DEPARTMENT)
            .execute(Tuple.of(code, name, kind, creditCode))
            .compose(rows -> audit.write(conn, department(rows.iterator().next()))))
        .recover(e -> Future.failedFuture(isUniqueViolation(e)
            ? (((PgException) e).getConstraint() != null && ((PgException) e).getConstraint().contains("credit")
                ? Problem.conflict("another department already has credit code " + creditCode)
                : Problem.conflict("department " + code + " already exists"))
            : e));
  }

  @Override
  public Future<Optional<ApiClient>> client(String clientId) {
    return pool.preparedQuery(CLIENT).execute(Tuple.of(clientId)).map(rows -> first(rows, PgIdentityStore::client));
  }

  @Override
  public Future<List<ApiClient>> clients(String department, Optional<String> afterClientId, int limit) {
    return pool.preparedQuery(CLIENTS)
        .execute(Tuple.of(department, afterClientId.orElse(null), limit))
        .map(rows -> {
          List<ApiClient> out = new ArrayList<>();
          rows.forEach(r -> out.add(client(r)));
          return out;
        });
  }

  @Override
  public Future<ApiClient> insertClient(String clientId, String department, String name, Set<Role> roles, String secretHash,
      AuditOf<ApiClient> audit) {
    String[] roleNames = roles.stream().map(Role::name).sorted().toArray(String[]::new);
    return pool.withTransaction(conn -> conn.preparedQuery(INSERT_CLIENT)
            .execute(Tuple.of(clientId, department, name, roleNames, secretHash))
            .compose(rows -> audit.write(conn, client(rows.iterator().next()))))
        .recover(e -> Future.failedFuture(isUniqueViolation(e) ? Problem.conflict("client " + clientId + " already exists") : e));
  }

  @Override
  public Future<Optional<ApiClient>> replaceSecret(String clientId, String secretHash, AuditOf<ApiClient> audit) {
    return pool.withTransaction(conn -> conn.preparedQuery(REPLACE_SECRET).execute(Tuple.of(clientId, secretHash))
        .compose(rows -> AuditOf.ifPresent(audit).write(conn, first(rows, PgIdentityStore::client))));
  }

  @Override
  public Future<Optional<ApiClient>> revoke(String clientId, AuditOf<ApiClient> audit) {
    return pool.withTransaction(conn -> conn.preparedQuery(REVOKE).execute(Tuple.of(clientId))
            .compose(rows -> AuditOf.ifPresent(audit).write(conn, first(rows, PgIdentityStore::client))))
        .compose(revoked -> revoked.isPresent() ? Future.succeededFuture(revoked) : client(clientId));
  }

  @Override
  public Future<Long> countActiveWithRole(Role role) {
    return pool.preparedQuery(COUNT_ACTIVE_WITH_ROLE).execute(Tuple.of(role.name()))
        .map(rows -> rows.iterator().next().getLong(0));
  }

  @Override
  public Future<List<ClientState>> clientStatesChangedAfter(long changeSeq) {
    return pool.preparedQuery(CHANGED_AFTER).execute(Tuple.of(changeSeq)).map(rows -> {
      List<ClientState> out = new ArrayList<>();
      rows.forEach(r -> out.add(new ClientState(r.getString(0), r.getInteger(1), "ACTIVE".equals(r.getString(2)), r.getLong(3))));
      return out;
    });
  }

  @Override
  public Future<byte[]> signingKey(String id, byte[] candidate) {
    return pool.preparedQuery(INSERT_KEY).execute(Tuple.of(id, Buffer.buffer(candidate)))
        .compose(r -> pool.preparedQuery(KEY).execute(Tuple.of(id)))
        .map(rows -> rows.iterator().next().getBuffer(0).getBytes());
  }



  private static Department department(Row r) {
    return new Department(r.getString("code"), r.getString("name"), r.getString("kind"), r.getString("credit_code"),
        r.getOffsetDateTime("created_at"));
  }

  private static ApiClient client(Row r) {
    Set<Role> roles = EnumSet.noneOf(Role.class);
    for (String s : r.getArrayOfStrings("roles")) {
      roles.add(Role.valueOf(s));
    }
    return new ApiClient(r.getString("client_id"), r.getString("department"), r.getString("name"), roles,
        r.getString("secret_hash"), r.getInteger("credential_version"), "ACTIVE".equals(r.getString("status")),
        r.getOffsetDateTime("created_at"), r.getOffsetDateTime("updated_at"));
  }
}
