package org.govshare.catalog;

import static org.govshare.platform.db.Rows.all;
import static org.govshare.platform.db.Rows.first;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.govshare.audit.AuditOf;
import org.govshare.platform.Problem;

public final class PgCatalogStore implements CatalogStore {
  static final String RESOURCE_COLUMNS = """
      r.code, r.classification, r.status, r.version, r.entry, r.created_at, r.updated_at,
      f.id AS filing_id, f.provider AS filing_provider, f.filed_by, f.filed_at, f.changes AS filing_changes""";
  static final String RESOURCE_FROM =
      " FROM catalog_resource r LEFT JOIN catalog_filing f ON f.code = r.code AND f.version = r.version";
  static final String FIND = "SELECT " + RESOURCE_COLUMNS + RESOURCE_FROM + " WHERE r.code = $1";
  // updated_at is the changing transaction's start, so a late commit can carry an older time: read a window back
  static final String CHANGES_AFTER = """
      SELECT code, updated_at FROM catalog_resource
      WHERE updated_at > coalesce($1::timestamptz, now()) - interval '30 seconds' ORDER BY updated_at""";

  // the NOT EXISTS keeps the number sequence from being spent on departments that already have one
  static final String ENSURE_DEPARTMENT_NUMBER = """
      INSERT INTO catalog_department_number (department)
      SELECT $1 WHERE NOT EXISTS (SELECT 1 FROM catalog_department_number WHERE department = $1)
      ON CONFLICT (department) DO NOTHING""";
  static final String DEPARTMENT_NUMBER = """
      SELECT n.number, d.kind FROM catalog_department_number n JOIN department d ON d.code = n.department WHERE n.department = $1""";
  // the row lock taken by the upsert serialises creators of one classification until they commit
  static final String NEXT_SEQUENCE = """
      INSERT INTO catalog_sequence (classification, last_value) VALUES ($1, $2)
      ON CONFLICT (classification) DO UPDATE SET last_value = catalog_sequence.last_value + $2
      RETURNING last_value""";
  static final String INSERT_RESOURCE = """
      INSERT INTO catalog_resource (code, classification, provider, category, subject, share_type, update_period, status, version,
        entry, search_text, search_grams)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)""";
  static final String INSERT_VERSION = """
      INSERT INTO catalog_version (code, version, status, entry, changes, created_by) VALUES ($1, $2, $3, $4, $5, $6)""";
  static final String AMEND_DRAFT = """
      UPDATE catalog_resource SET entry = $3, share_type = $4, update_period = $5, search_text = $6, search_grams = $7,
        updated_at = now()
      WHERE code = $1 AND version = $2 AND status = 'DRAFT'""";
  static final String AMEND_DRAFT_VERSION =
      "UPDATE catalog_version SET entry = $3, created_by = $4, created_at = now() WHERE code = $1 AND version = $2";
  static final String PUBLISH = """
      UPDATE catalog_resource SET status = 'PUBLISHED', version = $3, entry = $4, share_type = $5, update_period = $6,
        search_text = $7, search_grams = $8, updated_at = now()
      WHERE code = $1 AND version = $2 AND status = $9""";
  static final String PUBLISH_DRAFT_VERSION =
      "UPDATE catalog_version SET status = 'PUBLISHED', entry = $3 WHERE code = $1 AND version = $2";
  static final String INSERT_FILING = """
      INSERT INTO catalog_filing (code, version, provider, filed_by, changes) VALUES ($1, $2, $3, $4, $5)""";
  static final String RETIRE = """
      UPDATE catalog_resource SET status = 'RETIRED', updated_at = now() WHERE code = $1 AND version = $2 AND status <> 'RETIRED'""";
  static final String DELETE_ELEMENTS = "DELETE FROM catalog_item_element WHERE code = $1";
  static final String INSERT_ELEMENTS = """
      INSERT INTO catalog_item_element (code, item_key, element, authoritative)
      SELECT $1, k, e, a FROM unnest($2::text[], $3::text[], $4::boolean[]) AS t(k, e, a)""";
  static final String SOURCES = """
      SELECT e.element, e.code, e.item_key, r.entry, r.status FROM catalog_item_element e JOIN catalog_resource r ON r.code = e.code
      WHERE e.authoritative AND e.element = ANY($1)""";
  static final String COPIES = "SELECT DISTINCT code FROM catalog_item_element WHERE element = $1 AND NOT authoritative ORDER BY code";
  static final String VERSIONS = """
      SELECT v.code, v.version, v.status, v.entry, v.changes, v.created_by, v.created_at,
        f.id AS filing_id, f.provider AS filing_provider, f.filed_by, f.filed_at, f.changes AS filing_changes
      FROM catalog_version v LEFT JOIN catalog_filing f ON f.code = v.code AND f.version = v.version
      WHERE v.code = $1 AND v.version > $2 ORDER BY v.version LIMIT $3""";
  static final String FILINGS = """
      SELECT id, code, version, provider, filed_by, filed_at, changes FROM catalog_filing
      WHERE ($1::text IS NULL OR provider = $1) AND ($2::text IS NULL OR code = $2) AND id > $3 ORDER BY id LIMIT $4""";
  static final String DEPARTMENT_NAMES = "SELECT code, name FROM department WHERE code = ANY($1)";

  // search is assembled from these fragments so each combination of filters gets its own plan
  // matches are found and sorted by code alone, then only the page's rows are fetched whole
  static final String SEARCH = "SELECT r.code FROM catalog_resource r WHERE true";
  static final String SEARCH_PAGE = "SELECT " + RESOURCE_COLUMNS + " FROM (%s) m JOIN catalog_resource r ON r.code = m.code"
      + " LEFT JOIN catalog_filing f ON f.code = r.code AND f.version = r.version ORDER BY r.code";
  static final String SEARCH_PAGE_SUMMARIES = "SELECT " + RESOURCE_COLUMNS.replace("r.entry,",
      "(r.entry - 'items') || jsonb_build_object('itemCount', jsonb_array_length(r.entry->'items')) AS entry,")
      + " FROM (%s) m JOIN catalog_resource r ON r.code = m.code"
      + " LEFT JOIN catalog_filing f ON f.code = r.code AND f.version = r.version ORDER BY r.code";
  static final String SEARCH_GRAMS = " AND r.search_grams @> $%d::text[]";
  static final String SEARCH_WORD = " AND r.search_text LIKE $%d";
  static final String SEARCH_PROVIDER = " AND r.provider = $%d";
  static final String SEARCH_CATEGORY = " AND r.category = $%d";
  static final String SEARCH_SUBJECT = " AND r.subject = $%d";
  static final String SEARCH_SHARE_TYPE = " AND r.share_type = $%d";
  static final String SEARCH_UPDATE_PERIOD = " AND r.update_period = $%d";
  static final String SEARCH_STATUS = " AND r.status = $%d";
  static final String SEARCH_NOT_RETIRED = " AND r.status <> 'RETIRED'";
  static final String SEARCH_DRAFTS_OF = " AND (r.status <> 'DRAFT' OR r.provider = $%d)";
  static final String SEARCH_AFTER = " AND r.code > $%d";
  static final String SEARCH_ORDER = " ORDER BY r.code LIMIT $%d";
  // How many entries share a gram varies from a handful to all of them: walking the code index
  // suits the common ones, the gram index the rare ones. A generic plan cannot tell them apart.
  static final String CUSTOM_PLANS = "SET LOCAL plan_cache_mode = force_custom_plan";

  private final Pool pool;

  public PgCatalogStore(Pool pool) {
    this.pool = pool;
  }

  @Override
  public Future<CatalogRecord> create(NewResource resource, AuditOf<CatalogRecord> audit) {
    JsonObject entry = resource.entry();
    return pool.withTransaction(conn -> classification(conn, resource)
            .compose(classification -> conn.preparedQuery(NEXT_SEQUENCE).execute(Tuple.of(classification, 1))
                .map(rows -> code(classification, rows.iterator().next().getInteger(0))))
            .compose(code -> insertResource(conn, code, resource, "DRAFT", 1)
                .compose(v -> conn.preparedQuery(INSERT_VERSION).execute(Tuple.of(code, 1, "DRAFT", entry, null, resource.createdBy())))
                .compose(v -> replaceElements(conn, code, entry))
                .compose(v -> recorded(conn, code, audit))))
        .recover(e -> oneSourceConflict(e, null, entry));
  }

  /** The entry as saved, read inside the change's transaction, with the change's audit records written beside it. */
  private static Future<CatalogRecord> recorded(SqlConnection conn, String code, AuditOf<CatalogRecord> audit) {
    return conn.preparedQuery(FIND).execute(Tuple.of(code))
        .compose(rows -> audit.write(conn, first(rows, PgCatalogStore::record).orElseThrow()));
  }

  @Override
  public Future<Integer> createPublished(List<NewResource> resources) {
    return pool.withTransaction(conn -> {
      Future<Void> chain = Future.succeededFuture();
      for (NewResource r : resources) {
        chain = chain.compose(v -> classification(conn, r)
            .compose(classification -> conn.preparedQuery(NEXT_SEQUENCE).execute(Tuple.of(classification, 1))
                .map(rows -> code(classification, rows.iterator().next().getInteger(0))))
            .compose(code -> {
              JsonObject entry = r.entry().copy().put("publishDate", java.time.LocalDate.now(org.govshare.platform.Times.zone()).toString());
              return insertResource(conn, code, new NewResource(r.provider(), entry, r.createdBy()), "PUBLISHED", 1)
                  .compose(x -> conn.preparedQuery(INSERT_VERSION).execute(Tuple.of(code, 1, "PUBLISHED", entry, null, r.createdBy())))
                  .compose(x -> conn.preparedQuery(INSERT_FILING).execute(Tuple.of(code, 1, r.provider(), r.createdBy(), null)))
                  .compose(x -> replaceElements(conn, code, entry));
            }));
      }
      return chain.map(resources.size());
    });
  }

  private Future<String> classification(SqlConnection conn, NewResource r) {
    JsonObject entry = r.entry();
    String category = entry.getString("category");
    return conn.preparedQuery(ENSURE_DEPARTMENT_NUMBER).execute(Tuple.of(r.provider()))
        .compose(v -> conn.preparedQuery(DEPARTMENT_NUMBER).execute(Tuple.of(r.provider())))
        .map(rows -> {
          Row row = rows.iterator().next();
          int item = "DEPARTMENTAL".equals(category)
              ? Vocabulary.departmentKindNumber(row.getString("kind"))
              : Vocabulary.subjectNumber(category, entry.getString("subject"));
          return String.format("%d%02d%03d", Vocabulary.classDigit(category), item, row.getInteger("number"));
        });
  }

  static String code(String classification, int sequence) {
    return classification + "/" + String.format("%06d", sequence);
  }

  private Future<Void> insertResource(SqlConnection conn, String code, NewResource r, String status, int version) {
    JsonObject entry = r.entry();
    String text = SearchTerms.text(entry);
    return conn.preparedQuery(INSERT_RESOURCE)
        .execute(Tuple.tuple(java.util.Arrays.asList(code, code.substring(0, code.indexOf('/')), r.provider(), entry.getString("category"),
            entry.getString("subject"), entry.getString("shareType"), entry.getString("updatePeriod"), status, version, entry,
            text, SearchTerms.grams(text))))
        .mapEmpty();
  }

  private Future<Void> replaceElements(SqlConnection conn, String code, JsonObject entry) {
    List<String> keys = new ArrayList<>();
    List<String> elements = new ArrayList<>();
    List<Boolean> authoritative = new ArrayList<>();
    JsonArray items = entry.getJsonArray("items");
    for (int i = 0; i < items.size(); i++) {
      JsonObject item = items.getJsonObject(i);
      if (item.getString("dataElement") != null) {
        keys.add(item.getString("key"));
        elements.add(item.getString("dataElement"));
        authoritative.add(item.getBoolean("authoritative", false));
      }
    }
    return conn.preparedQuery(DELETE_ELEMENTS).execute(Tuple.of(code))
        .compose(v -> elements.isEmpty()
            ? Future.succeededFuture()
            : conn.preparedQuery(INSERT_ELEMENTS).execute(Tuple.of(code, keys.toArray(String[]::new), elements.toArray(String[]::new),
                authoritative.toArray(Boolean[]::new))))
        .mapEmpty();
  }

  /** A lost race for an element's authority: answer as if the check before had seen the winner. */
  private <T> Future<T> oneSourceConflict(Throwable e, String code, JsonObject entry) {
    if (!(e instanceof PgException pg && "23505".equals(pg.getSqlState()) && "catalog_one_source".equals(pg.getConstraint()))) {
      return Future.failedFuture(e);
    }
    JsonArray items = entry.getJsonArray("items");
    List<String> elements = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      JsonObject item = items.getJsonObject(i);
      if (item.getBoolean("authoritative", false) && item.getString("dataElement") != null) {
        elements.add(item.getString("dataElement"));
      }
    }
    return sources(elements).compose(found -> {
      for (int i = 0; i < items.size(); i++) {
        JsonObject item = items.getJsonObject(i);
        ElementSource s = item.getString("dataElement") == null ? null : found.get(item.getString("dataElement"));
        if (item.getBoolean("authoritative", false) && s != null && !s.code().equals(code)) {
          return Future.failedFuture(s.secondSource("items[" + i + "].authoritative"));
        }
      }
      return Future.failedFuture(Problem.conflict("another resource became the authoritative source of one of these data elements"));
    });
  }

  @Override
  public Future<Optional<CatalogRecord>> find(String code) {
    return pool.preparedQuery(FIND).execute(Tuple.of(code)).map(rows -> first(rows, PgCatalogStore::record));
  }

  @Override
  public Future<List<EntryChange>> changesAfter(java.time.OffsetDateTime after) {
    return pool.preparedQuery(CHANGES_AFTER).execute(Tuple.of(after))
        .map(rows -> all(rows, r -> new EntryChange(r.getString(0), r.getOffsetDateTime(1))));
  }

  @Override
  public Future<CatalogRecord> amendDraft(String code, int version, JsonObject entry, String by, AuditOf<CatalogRecord> audit) {
    String text = SearchTerms.text(entry);
    return pool.withTransaction(conn -> conn.preparedQuery(AMEND_DRAFT)
            .execute(Tuple.tuple(java.util.Arrays.asList(code, version, entry, entry.getString("shareType"), entry.getString("updatePeriod"), text,
                SearchTerms.grams(text))))
            .compose(rows -> rows.rowCount() == 0
                ? Future.failedFuture(Problem.conflict("resource " + code + " changed meanwhile; read it again and retry"))
                : conn.preparedQuery(AMEND_DRAFT_VERSION).execute(Tuple.of(code, version, entry, by)))
            .compose(v -> replaceElements(conn, code, entry))
            .compose(v -> recorded(conn, code, audit)))
        .recover(e -> oneSourceConflict(e, code, entry));
  }

  @Override
  public Future<CatalogRecord> publish(String code, int currentVersion, int newVersion, JsonObject entry, JsonObject changes,
      String by, AuditOf<CatalogRecord> audit) {
    boolean firstOfDraft = newVersion == currentVersion;
    String text = SearchTerms.text(entry);
    return pool.withTransaction(conn -> conn.preparedQuery(PUBLISH)
            .execute(Tuple.tuple(java.util.Arrays.asList(code, currentVersion, newVersion, entry, entry.getString("shareType"),
                entry.getString("updatePeriod"), text, SearchTerms.grams(text), firstOfDraft ? "DRAFT" : "PUBLISHED")))
            .compose(rows -> {
              if (rows.rowCount() == 0) {
                return Future.failedFuture(Problem.conflict("resource " + code + " changed meanwhile; read it again and retry"));
              }
              return firstOfDraft
                  ? conn.preparedQuery(PUBLISH_DRAFT_VERSION).execute(Tuple.of(code, newVersion, entry))
                  : conn.preparedQuery(INSERT_VERSION).execute(Tuple.of(code, newVersion, "PUBLISHED", entry, changes, by));
            })
            .compose(v -> conn.preparedQuery(INSERT_FILING).execute(Tuple.of(code, newVersion, entry.getString("provider"), by, changes)))
            .compose(v -> replaceElements(conn, code, entry))
            .compose(v -> recorded(conn, code, audit)))
        .recover(e -> oneSourceConflict(e, code, entry));
  }

  @Override
  public Future<CatalogRecord> retire(String code, int version, AuditOf<CatalogRecord> audit) {
    return pool.withTransaction(conn -> conn.preparedQuery(RETIRE).execute(Tuple.of(code, version))
        .compose(rows -> rows.rowCount() == 0
            ? Future.failedFuture(Problem.conflict("resource " + code + " changed meanwhile or is already retired"))
            : conn.preparedQuery(DELETE_ELEMENTS).execute(Tuple.of(code)))
        .compose(v -> recorded(conn, code, audit)));
  }

  @Override
  public Future<List<VersionRecord>> versions(String code, int afterVersion, int limit) {
    return pool.preparedQuery(VERSIONS).execute(Tuple.of(code, afterVersion, limit)).map(rows -> all(rows, r -> new VersionRecord(
        r.getString("code"), r.getInteger("version"), r.getString("status"), json(r, "entry"), json(r, "changes"),
        r.getString("created_by"), r.getOffsetDateTime("created_at"), filing(r, r.getString("code"), r.getInteger("version")))));
  }

  @Override
  public Future<List<CatalogRecord>> search(CatalogSearch s, int limit, boolean withItems) {
    StringBuilder sql = new StringBuilder(SEARCH);
    List<Object> params = new ArrayList<>();
    // The substring test comes first and as LIKE, which costs the planner no more than the gram
    // test: when it walks the code index (for a common word), LIKE rejects most rows before their
    // out-of-line grams are read; LIKE's estimate also tells it which words are common.
    for (String w : s.words()) {
      params.add(SearchTerms.likePattern(w));
      sql.append(String.format(SEARCH_WORD, params.size()));
    }
    if (s.useGrams() && !s.words().isEmpty()) {
      params.add(SearchTerms.queryGrams(s.words()));
      sql.append(String.format(SEARCH_GRAMS, params.size()));
    }
    filter(sql, params, SEARCH_PROVIDER, s.provider());
    filter(sql, params, SEARCH_CATEGORY, s.category());
    filter(sql, params, SEARCH_SUBJECT, s.subject());
    filter(sql, params, SEARCH_SHARE_TYPE, s.shareType());
    filter(sql, params, SEARCH_UPDATE_PERIOD, s.updatePeriod());
    if (s.status().isPresent()) {
      filter(sql, params, SEARCH_STATUS, s.status());
    } else {
      sql.append(SEARCH_NOT_RETIRED);
    }
    if (!s.seesAll()) {
      filter(sql, params, SEARCH_DRAFTS_OF, Optional.of(s.viewer()));
    }
    filter(sql, params, SEARCH_AFTER, s.afterCode());
    params.add(limit);
    sql.append(String.format(SEARCH_ORDER, params.size()));
    String page = String.format(withItems ? SEARCH_PAGE : SEARCH_PAGE_SUMMARIES, sql);
    return pool.withTransaction(conn -> conn.query(CUSTOM_PLANS).execute()
            .compose(v -> conn.preparedQuery(page).execute(Tuple.tuple(params))))
        .map(rows -> all(rows, PgCatalogStore::record));
  }

  private static void filter(StringBuilder sql, List<Object> params, String fragment, Optional<String> value) {
    if (value.isPresent()) {
      params.add(value.get());
      sql.append(String.format(fragment, params.size()));
    }
  }

  @Override
  public Future<Map<String, String>> departmentNames(Collection<String> codes) {
    return pool.preparedQuery(DEPARTMENT_NAMES).execute(Tuple.of(codes.toArray(String[]::new))).map(rows -> {
      Map<String, String> out = new HashMap<>();
      rows.forEach(r -> out.put(r.getString("code"), r.getString("name")));
      return out;
    });
  }

  @Override
  public Future<List<String>> copies(String element) {
    return pool.preparedQuery(COPIES).execute(Tuple.of(element)).map(rows -> {
      List<String> out = new ArrayList<>(rows.size());
      rows.forEach(r -> out.add(r.getString(0)));
      return out;
    });
  }

  @Override
  public Future<Map<String, ElementSource>> sources(Collection<String> elements) {
    if (elements.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    return pool.preparedQuery(SOURCES).execute(Tuple.of(elements.toArray(String[]::new))).map(rows -> {
      Map<String, ElementSource> out = new LinkedHashMap<>();
      rows.forEach(r -> {
        JsonObject entry = json(r, "entry");
        String key = r.getString("item_key");
        String itemName = null;
        JsonArray items = entry.getJsonArray("items");
        for (int i = 0; i < items.size(); i++) {
          if (key.equals(items.getJsonObject(i).getString("key"))) {
            itemName = items.getJsonObject(i).getString("name");
          }
        }
        out.put(r.getString("element"), new ElementSource(r.getString("element"), r.getString("code"), key, itemName,
            entry.getString("name"), entry.getString("provider"), r.getString("status")));
      });
      return out;
    });
  }

  @Override
  public Future<List<Filing>> filings(Optional<String> provider, Optional<String> code, long afterId, int limit) {
    return pool.preparedQuery(FILINGS).execute(Tuple.of(provider.orElse(null), code.orElse(null), afterId, limit))
        .map(rows -> all(rows, r -> new Filing(r.getLong("id"), r.getString("code"), r.getInteger("version"), r.getString("provider"),
            r.getString("filed_by"), r.getOffsetDateTime("filed_at"), json(r, "changes"))));
  }

  private static CatalogRecord record(Row r) {
    String code = r.getString("code");
    int version = r.getInteger("version");
    return new CatalogRecord(code, r.getString("classification"), r.getString("status"), version, json(r, "entry"),
        r.getOffsetDateTime("created_at"), r.getOffsetDateTime("updated_at"), filing(r, code, version));
  }

  private static Filing filing(Row r, String code, int version) {
    Long id = r.getLong("filing_id");
    return id == null ? null : new Filing(id, code, version, r.getString("filing_provider"), r.getString("filed_by"),
        r.getOffsetDateTime("filed_at"), json(r, "filing_changes"));
  }

  private static JsonObject json(Row r, String column) {
    Object v = r.getValue(column);
    if (v == null) {
      return null;
    }
    return v instanceof JsonObject o ? o : new JsonObject(v.toString());
  }


}
