package org.govshare.access;

import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.govshare.access.RecordSchema.Item;
import org.govshare.kernel.AuditAction;
import org.govshare.kernel.AuditEntry;
import org.govshare.audit.AuditWriter;
import org.govshare.kernel.Caller;
import org.govshare.kernel.Outcome;
import org.govshare.catalog.CatalogService;
import org.govshare.kernel.Principal;
import org.govshare.kernel.Role;
import org.govshare.platform.Problem;
import org.govshare.platform.Times;
import org.govshare.platform.config.GovshareConfig.DataPlaneConfig;
import org.govshare.sharing.GrantCheck;

/**
 * The data plane's rules: who may write a resource's records, which items a caller may read,
 * which of those it sees masked, and the audit record of every access.
 */
public final class AccessService {
  private final CatalogService catalog;
  private final GrantCheck grants;
  private final RecordStore store;
  private final RecordSource source;
  private final ProviderInterfaceSource providers;
  private final AuditWriter audit;
  private final DataPlaneConfig limits;
  private final ZoneId zone;
  private final UnderVerification underVerification;

  /**
   * What one caller may read of one resource. {@code clear}: readable items it sees unmasked. Push
   * uses the same view to scope the records it delivers.
   */
  public record View(RecordSchema schema, Set<String> readable, Set<String> clear, List<String> grants) {
    /** The reply form of one record, with no item under verification: {@code key, record, masked, underVerification, version, updatedAt}. */
    public JsonObject serve(StoredRecord r) {
      return serve(r, Set.of());
    }

    /** As {@link #serve(StoredRecord)}, listing which of the readable items have an open objection. */
    public JsonObject serve(StoredRecord r, Set<String> openItems) {
      JsonObject record = new JsonObject();
      JsonArray masked = new JsonArray();
      JsonArray verifying = new JsonArray();
      for (String item : readable) {
        if (openItems.contains(item)) {
          verifying.add(item);
        }
        Object value = r.data().getValue(item);
        if (value == null) {
          continue;
        }
        Item rule = schema.items().get(item);
        if (rule.sensitive() && !clear.contains(item)) {
          record.put(item, Masking.mask(rule.dataElement(), value));
          masked.add(item);
        } else {
          record.put(item, value);
        }
      }
      return new JsonObject().put("key", r.key()).put("record", record).put("masked", masked)
          .put("underVerification", verifying).put("version", r.version()).put("updatedAt", Times.format(r.updatedAt()));
    }
  }

  /** A checked new value of one item of one record, ready for {@link #applyFix}. {@code value}: canonical. */
  public record Fix(String resource, String key, String item, Object value, int catalogVersion) {}

  /** {@code source} serves HOSTED resources, {@code providers} PROXY resources. */
  public AccessService(CatalogService catalog, GrantCheck grants, RecordStore store, RecordSource source,
      ProviderInterfaceSource providers, AuditWriter audit, DataPlaneConfig limits, ZoneId zone, UnderVerification underVerification) {
    this.catalog = catalog;
    this.underVerification = underVerification;
    this.grants = grants;
    this.store = store;
    this.source = source;
    this.providers = providers;
    this.audit = audit;
    this.limits = limits;
    this.zone = zone;
  }

  private Future<RecordSchema> schema(String code) {
    return catalog.current(code).map(found -> RecordSchema.of(found.orElseThrow(() -> Problem.notFound("resource", code))));
  }

  /** The provider department's PROVIDER or DEPT_ADMIN clients write a published HOSTED resource. */
  private Future<RecordSchema> writable(Caller caller, String code, boolean retiredToo) {
    return schema(code).map(s -> {
      Principal p = caller.principal();
      if (!p.department().equals(s.provider()) || !p.hasAny(Role.PROVIDER, Role.DEPT_ADMIN)) {
        throw Problem.forbidden("only the provider department's PROVIDER or DEPT_ADMIN clients write the records of " + code);
      }
      if (s.proxied()) {
        throw Problem.rule("code", "resource " + code + " is a PROXY resource: the provider's interface serves it, nothing is uploaded");
      }
      if (!s.published() && !(retiredToo && "RETIRED".equals(s.status()))) {
        throw Problem.conflict("resource " + code + " is " + s.status() + "; records are accepted once it is PUBLISHED"
            + ("RETIRED".equals(s.status()) ? " (a retired resource takes no new records)" : ""));
      }
      return s;
    });
  }

  public Future<JsonObject> ingest(Caller caller, String code, HttpServerRequest request) {
    return writable(caller, code, false).compose(s -> new Ingestion(s, store, limits, zone, request, (range, rows) ->
        AuditEntry.of(caller, AuditAction.DATA_INGEST, code, null, Outcome.OK, new JsonObject()
            .put("rows", rows).put("firstSeq", range.first()).put("lastSeq", range.last()).put("catalogVersion", s.catalogVersion())))
        .run());
  }

  public Future<Void> delete(Caller caller, String code, String key) {
    return writable(caller, code, true).compose(s -> store.delete(code, canonicalKey(s, key), seq -> AuditEntry.of(caller,
            AuditAction.DATA_DELETE, code, key, Outcome.OK, new JsonObject().put("seq", seq))))
        .map(deleted -> {
          if (deleted.isEmpty()) {
            throw Problem.notFound("record", key);
          }
          return null;
        });
  }

  /** Which items the caller may read; 403 when none (whether or not any key exists). */
  public Future<View> view(Caller caller, String code) {
    Principal p = caller.principal();
    if (!p.hasAny(Role.CONSUMER, Role.PROVIDER, Role.DEPT_ADMIN)) {
      return Future.failedFuture(Problem.forbidden("data are read by CONSUMER, PROVIDER or DEPT_ADMIN clients"));
    }
    return schema(code).compose(s -> {
      if (!s.published()) {
        return Future.failedFuture(Problem.forbidden("resource " + code + " is " + s.status() + ": none of its data are served"));
      }
      return grants.check(p.department(), code).map(allowed -> {
        Set<String> readable = new TreeSet<>(allowed.items());
        readable.retainAll(s.servedItems());
        if (readable.isEmpty()) {
          throw Problem.forbidden("department " + p.department() + " may read no item of resource " + code);
        }
        // the provider sees its own data clear; a consumer the sensitive items a grant in force lists in clearItems
        Set<String> clear = new TreeSet<>(readable);
        if (!allowed.own()) {
          clear.retainAll(allowed.clear());
        }
        return new View(s, readable, clear, allowed.grants());
      });
    });
  }

  public Future<JsonObject> get(Caller caller, String code, String key, long startedNanos) {
    return view(caller, code).compose(v -> fetch(v.schema(), List.of(canonicalKey(v.schema(), key))).compose(fetched -> {
      List<StoredRecord> found = fetched.records();
      if (found.isEmpty()) {
        Problem missing = Problem.notFound("record", key); // audited as a refusal, with the items and grants
        if (fetched.upstream() != null) {
          missing.auditDetail("source", "PROXY").auditDetail("upstream", fetched.upstream());
        }
        return Future.failedFuture(missing);
      }
      StoredRecord r = found.get(0);
      return underVerification.items(code, List.of(r.key())).compose(open -> {
        JsonObject detail = accessDetail(v, List.of(key), fetched, startedNanos);
        JsonObject served = v.serve(r, open.getOrDefault(r.key(), Set.of()));
        detail.put("masked", served.getJsonArray("masked"));
        return audit.append(AuditEntry.of(caller, AuditAction.DATA_READ, code, key, Outcome.OK, detail))
            .map(seq -> served.put("resource", code));
      });
    }));
  }

  public Future<JsonObject> lookup(Caller caller, String code, List<String> keys, long startedNanos) {
    return view(caller, code).compose(v -> {
      Map<String, String> asked = new HashMap<>();
      for (String k : new LinkedHashSet<>(keys)) {
        asked.put(canonicalKey(v.schema(), k), k);
      }
      return fetch(v.schema(), List.copyOf(asked.keySet())).compose(fetched -> underVerification.items(code,
          fetched.records().stream().map(StoredRecord::key).toList()).compose(open -> {
        List<StoredRecord> found = fetched.records();
        JsonArray records = new JsonArray();
        Set<String> hit = new java.util.HashSet<>();
        for (StoredRecord r : found) {
          records.add(v.serve(r, open.getOrDefault(r.key(), Set.of())));
          hit.add(r.key());
        }
        JsonArray missing = new JsonArray();
        for (String k : new LinkedHashSet<>(keys)) {
          String canonical = canonicalKey(v.schema(), k);
          if (!hit.contains(canonical)) {
            missing.add(k);
          }
        }
        JsonObject detail = accessDetail(v, new ArrayList<>(new LinkedHashSet<>(keys)), fetched, startedNanos)
            .put("missing", missing.size());
        return audit.append(AuditEntry.of(caller, AuditAction.DATA_LOOKUP, code, null, Outcome.OK, detail))
            .map(seq -> new JsonObject().put("records", records).put("missing", missing));
      }));
    });
  }

  /** Whether submitted values equal the source's, per item; only items the caller may read (else 403), of the resource (else 422). */
  public Future<JsonObject> verify(Caller caller, String code, String key, JsonObject values, long startedNanos) {
    return view(caller, code).compose(v -> {
      List<Problem.FieldError> unknown = new ArrayList<>();
      List<String> unreadable = new ArrayList<>();
      for (String item : values.fieldNames()) {
        Item rule = v.schema().items().get(item);
        if (rule == null) {
          unknown.add(new Problem.FieldError("values." + item, "not an item of resource " + code));
        } else if (!v.readable().contains(item)) {
          unreadable.add(item);
        }
      }
      if (!unknown.isEmpty()) {
        return Future.failedFuture(Problem.rule(unknown));
      }
      if (!unreadable.isEmpty()) {
        return Future.failedFuture(Problem.forbidden("department " + caller.department() + " may not read " + unreadable
            + " of resource " + code + ", so it may not verify them either"));
      }
      return fetch(v.schema(), List.of(canonicalKey(v.schema(), key))).compose(fetched -> {
        List<StoredRecord> found = fetched.records();
        JsonObject matches = new JsonObject();
        StoredRecord r = found.isEmpty() ? null : found.get(0);
        for (String item : values.fieldNames()) {
          matches.put(item, r != null && RecordSchema.same(v.schema().items().get(item), r.data().getValue(item), values.getValue(item)));
        }
        JsonObject detail = accessDetail(v, List.of(key), fetched, startedNanos)
            .put("items", new JsonArray(List.copyOf(values.fieldNames())));
        return audit.append(AuditEntry.of(caller, AuditAction.DATA_VERIFY, code, key, Outcome.OK, detail))
            .map(seq -> new JsonObject().put("key", key).put("found", r != null).put("matches", matches));
      });
    });
  }

  /** HOSTED records from the store; PROXY records from the provider's interface, with a trace of its calls for the audit. */
  private Future<ProviderInterfaceSource.Fetched> fetch(RecordSchema s, List<String> keys) {
    if (s.proxied()) {
      return providers.fetchTraced(s, keys);
    }
    return source.fetch(s, keys).map(found -> new ProviderInterfaceSource.Fetched(found, null));
  }

  /** The record {@code key} names, read through a caller's view (objections name records this way); empty when unknown. */
  public Future<Optional<StoredRecord>> find(View v, String key) {
    return fetch(v.schema(), List.of(canonicalKey(v.schema(), key))).map(found -> found.records().stream().findFirst());
  }

  /**
   * Checks a new value of one item of one record as ingestion checks a line (the provider's
   * PROVIDER or DEPT_ADMIN, a published HOSTED resource, a known item that is not the key, a value
   * of its type, length and identifier rules); {@code field} names the value in a 422.
   */
  public Future<Fix> fix(Caller caller, String code, String key, String item, Object value, String field) {
    return writable(caller, code, false).map(s -> {
      Item rule = s.items().get(item);
      if (rule == null) {
        throw Problem.rule("item", "'" + item + "' is not an item of resource " + code);
      }
      if (item.equals(s.keyItem())) {
        throw Problem.rule("item", "'" + item + "' is the key item: it names the record and is not corrected in place");
      }
      String problem = value == null ? "is required" : RecordSchema.problem(rule, value, zone);
      if (problem != null) {
        throw Problem.rule(field, problem);
      }
      return new Fix(code, canonicalKey(s, key), item, RecordSchema.canonical(rule, value), s.catalogVersion());
    });
  }

  /**
   * Writes a checked fix as an update of the record on {@code conn}, inside the caller's own
   * transaction: a new version, a change-log sequence number (push sees it as any upsert) and a
   * DATA_INGEST audit record of one row. Empty when the record no longer exists.
   */
  public Future<Optional<RecordStore.Fixed>> applyFix(SqlConnection conn, Caller caller, Fix fix, JsonObject detail) {
    return store.fix(conn, fix.resource(), fix.key(), fix.item(), io.vertx.core.json.Json.encode(fix.value()),
        seq -> AuditEntry.of(caller, AuditAction.DATA_INGEST, fix.resource(), fix.key(), Outcome.OK, detail.copy()
            .put("rows", 1).put("firstSeq", seq).put("lastSeq", seq).put("catalogVersion", fix.catalogVersion())
            .put("item", fix.item())));
  }

  /** After the transaction of {@link #applyFix} committed: caches drop the record before the answer leaves. */
  public Future<Void> fixCommitted(Fix fix) {
    return store.committed(fix.resource(), List.of(fix.key()));
  }

  /** Whether {@code value} fits {@code item} of {@code code} (a proposed value of an objection); null when it does, else why not. */
  public static String problem(View v, String item, Object value, ZoneId zone) {
    Item rule = v.schema().items().get(item);
    return rule == null ? "not an item of resource " + v.schema().code() : RecordSchema.problem(rule, value, zone);
  }

  private static JsonObject accessDetail(View v, List<String> keys, ProviderInterfaceSource.Fetched fetched, long startedNanos) {
    JsonObject detail = new JsonObject().put("keys", new JsonArray(keys)).put("found", fetched.records().size())
        .put("items", new JsonArray(List.copyOf(v.readable()))).put("grants", new JsonArray(v.grants()))
        .put("latencyMs", (System.nanoTime() - startedNanos) / 1_000_000.0);
    if (fetched.upstream() != null) {
      detail.put("source", "PROXY").put("upstream", fetched.upstream());
    }
    return detail;
  }

  private static String canonicalKey(RecordSchema s, String key) {
    if (key.indexOf('\u0000') >= 0) {
      throw Problem.invalid("key", "must not contain the character U+0000"); // PostgreSQL text cannot hold it
    }
    Item rule = s.keyItemRule();
    Object canonical = RecordSchema.canonical(rule, key);
    return String.valueOf(canonical);
  }
}
