package org.govshare.identity;

import org.govshare.kernel.Role;
import static org.govshare.platform.db.Rows.first;
import static org.govshare.platform.db.Rows.isUniqueViolation;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.govshare.audit.AuditOf;
import org.govshare.platform.Problem;
import org.govshare.platform.db.Rows;

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
  // locked in one order so concurrent revocations queue instead of deadlocking; a row revoked by the
  // transaction we waited for is re-checked and drops out, so the second revocation sees the true count
  static final String LOCK_PLATFORM_ADMINS = """
      SELECT client_id FROM api_client
      WHERE status = 'ACTIVE' AND 'PLATFORM_ADMIN' = ANY(roles) AND department = $1
      ORDER BY client_id FOR UPDATE""";
  static final String RESET_ADMIN = """
      INSERT INTO api_client (client_id, department, name, roles, secret_hash) VALUES ($1, $2, $3, ARRAY['PLATFORM_ADMIN'], $4)
      ON CONFLICT (client_id) DO UPDATE SET secret_hash = EXCLUDED.secret_hash, status = 'ACTIVE', department = EXCLUDED.department,
        roles = array_append(array_remove(array_remove(api_client.roles, 'PLATFORM_ADMIN'), 'AUDITOR'), 'PLATFORM_ADMIN'),
        credential_version = api_client.credential_version + 1, updated_at = now(), change_seq = nextval('client_change_seq')
      RETURNING """ + " " + CLIENT_COLUMNS;
  // rows whose change_seq was taken shortly before but committed late are picked up by the overlap
  static final String CHANGED_AFTER = """
      SELECT client_id, department, roles, credential_version, status, change_seq FROM api_client
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
        .map(rows -> Rows.all(rows, PgIdentityStore::department));
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
        .map(rows -> Rows.all(rows, PgIdentityStore::client));
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
  public Future<Revocation> revoke(String clientId, String bureau, AuditOf<ApiClient> audit) {
    return pool.withTransaction(conn -> conn.preparedQuery(LOCK_PLATFORM_ADMINS).execute(Tuple.of(bureau)).compose(admins -> {
      List<String> ids = Rows.all(admins, r -> r.getString(0));
      if (ids.size() == 1 && ids.contains(clientId)) {
        return conn.preparedQuery(CLIENT).execute(Tuple.of(clientId))
            .map(rows -> new Revocation(first(rows, PgIdentityStore::client), true));
      }
      return conn.preparedQuery(REVOKE).execute(Tuple.of(clientId))
          .compose(rows -> rows.size() > 0
              ? AuditOf.ifPresent(audit).write(conn, first(rows, PgIdentityStore::client))
              : conn.preparedQuery(CLIENT).execute(Tuple.of(clientId)).map(r -> first(r, PgIdentityStore::client)))
          .map(c -> new Revocation(c, false));
    }));
  }

  @Override
  public Future<ApiClient> resetAdmin(String clientId, String bureau, String name, String secretHash, AuditOf<ApiClient> audit) {
    return pool.withTransaction(conn -> conn.preparedQuery(RESET_ADMIN).execute(Tuple.of(clientId, bureau, name, secretHash))
        .compose(rows -> audit.write(conn, client(rows.iterator().next()))));
  }

  @Override
  public Future<List<ClientState>> clientStatesChangedAfter(long changeSeq) {
    return pool.preparedQuery(CHANGED_AFTER).execute(Tuple.of(changeSeq)).map(rows -> Rows.all(rows,
        r -> new ClientState(r.getString(0), r.getString(1), roles(r.getArrayOfStrings(2)), r.getInteger(3),
            "ACTIVE".equals(r.getString(4)), r.getLong(5))));
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

  private static Set<Role> roles(String[] names) {
    Set<Role> roles = EnumSet.noneOf(Role.class);
    for (String s : names) {
      roles.add(Role.valueOf(s));
    }
    return roles;
  }

  private static ApiClient client(Row r) {
    return new ApiClient(r.getString("client_id"), r.getString("department"), r.getString("name"), roles(r.getArrayOfStrings("roles")),
        r.getString("secret_hash"), r.getInteger("credential_version"), "ACTIVE".equals(r.getString("status")),
        r.getOffsetDateTime("created_at"), r.getOffsetDateTime("updated_at"));
  }
}
