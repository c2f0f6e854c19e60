package org.govshare.catalog;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.govshare.kernel.AuditAction;
import org.govshare.kernel.AuditEntry;
import org.govshare.audit.AuditOf;
import org.govshare.audit.AuditWriter;
import org.govshare.kernel.Caller;
import org.govshare.kernel.Outcome;
import org.govshare.kernel.Principal;
import org.govshare.kernel.Role;
import org.govshare.platform.Problem;
import org.govshare.platform.Times;
import org.govshare.platform.http.PageRequest;
import org.govshare.notification.Notifier;

/**
 * The catalogue's rules beyond a single entry: who may edit, the lifecycle DRAFT → PUBLISHED →
 * RETIRED with a filing for every published version, one datum one source across the catalogue,
 * and who sees what.
 */
public final class CatalogService implements CatalogDirectory {
  static final int EXPORT_BATCH = 500;

  private final CatalogStore store;
  private final AuditWriter audit;
  private final CatalogListener listener;
  private final Notifier notifier;
  private final String bureauCode;
  private final EndpointPolicy endpoints;

  public CatalogService(CatalogStore store, AuditWriter audit, CatalogListener listener, Notifier notifier, String bureauCode) {
    this(store, audit, listener, notifier, bureauCode, EndpointPolicy.ANY);
  }

  public CatalogService(CatalogStore store, AuditWriter audit, CatalogListener listener, Notifier notifier, String bureauCode,
      EndpointPolicy endpoints) {
    this.endpoints = endpoints;
    this.store = store;
    this.audit = audit;
    this.listener = listener;
    this.notifier = notifier;
    this.bureauCode = bureauCode;
  }

  public Future<CatalogRecord> create(Caller caller, JsonObject body) {
    String provider = body.getString("provider");
    if (provider != null) {
      requireEditor(caller, provider, "register catalogue entries");
    }
    JsonObject entry = CatalogRules.normalize(body);
    return checkSources(caller, null, entry)
        .compose(v -> store.create(new CatalogStore.NewResource(provider, entry, caller.clientId()),
            AuditOf.one(r -> AuditEntry.of(caller, AuditAction.CATALOG_CREATE, r.code(), null, Outcome.OK,
                new JsonObject().put("version", r.version()).put("name", r.entry().getString("name"))))));
  }

  public Future<CatalogRecord> get(Caller caller, String code) {
    return visible(caller, code);
  }

  /**
   * A draft is amended in place. A published entry gets its next version, published and filed
   * at once: the notice wants an entry updated as soon as duties change, and every change filed.
   */
  public Future<CatalogRecord> update(Caller caller, String code, JsonObject body) {
    return visible(caller, code).compose(current -> {
      requireEditor(caller, current.provider(), "edit resource " + code);
      if ("RETIRED".equals(current.status())) {
        return Future.failedFuture(Problem.conflict("resource " + code + " is retired; its history is kept but it takes no new versions"));
      }
      JsonObject next = CatalogRules.normalize(body);
      CatalogRules.checkUnchanged(current.entry(), next);
      if (current.draft()) {
        return checkSources(caller, code, next)
            .compose(v -> store.amendDraft(code, current.version(), next, caller.clientId(),
                AuditOf.one(r -> AuditEntry.of(caller, AuditAction.CATALOG_UPDATE, code, null, Outcome.OK,
                    new JsonObject().put("version", r.version()).put("status", r.status())))));
      }
      next.put("publishDate", today());
      JsonObject changes = VersionDiff.between(current.entry(), next);
      if (VersionDiff.isEmpty(changes)) {
        return Future.succeededFuture(current);
      }
      int version = current.version() + 1;
      return checkEndpoint(next).compose(v -> checkSources(caller, code, next))
          .compose(v -> store.publish(code, current.version(), version, next, changes, caller.clientId(),
              filing(caller, AuditAction.CATALOG_UPDATE, changes)))
          .compose(r -> {
            Set<String> removed = VersionDiff.removedKeys(changes);
            Future<Void> told = removed.isEmpty() ? Future.succeededFuture() : listener.itemsRemoved(caller, code, removed);
            return told.compose(v -> filed(r));
          });
    });
  }

  public Future<CatalogRecord> publish(Caller caller, String code) {
    return visible(caller, code).compose(current -> {
      requireEditor(caller, current.provider(), "publish resource " + code);
      if (!current.draft()) {
        return Future.failedFuture(Problem.conflict("resource " + code + " is " + current.status()
            + "; only a DRAFT is published (a PUT on a published entry publishes its next version)"));
      }
      JsonObject entry = current.entry().copy().put("publishDate", today());
      return checkEndpoint(entry).compose(v -> checkSources(caller, code, entry))
          .compose(v -> store.publish(code, current.version(), current.version(), entry, null, caller.clientId(),
              filing(caller, AuditAction.CATALOG_PUBLISH, null)))
          .compose(this::filed);
    });
  }

  private static AuditOf<CatalogRecord> filing(Caller caller, AuditAction action, JsonObject changes) {
    return AuditOf.one(r -> {
      JsonObject detail = new JsonObject().put("version", r.version()).put("filing", r.filing() == null ? null : r.filing().id());
      if (changes != null) {
        detail.put("changes", changes);
      }
      return AuditEntry.of(caller, action, r.code(), String.valueOf(r.version()), Outcome.OK, detail);
    });
  }

  private Future<CatalogRecord> filed(CatalogRecord r) {
    String message = r.provider() + " filed version " + r.version() + " of " + r.code() + " " + r.entry().getString("name");
    return listener.entryChanged(r.code()).compose(v -> notifier.notify(bureauCode, "CATALOG_FILED", r.code(), message)).map(v -> r);
  }

  public Future<CatalogRecord> retire(Caller caller, String code) {
    return visible(caller, code).compose(current -> {
      if (!caller.principal().isPlatformAdmin()) {
        requireEditor(caller, current.provider(), "retire resource " + code);
      }
      if ("RETIRED".equals(current.status())) {
        return Future.failedFuture(Problem.conflict("resource " + code + " is already retired"));
      }
      return store.retire(code, current.version(), AuditOf.one(r -> AuditEntry.of(caller, AuditAction.CATALOG_RETIRE, code, null,
              Outcome.OK, new JsonObject().put("version", r.version()).put("previousStatus", current.status()))))
          .compose(r -> {
            return listener.entryChanged(code).compose(v -> listener.resourceRetired(caller, code)).map(r);
          });
    });
  }

  public Future<JsonObject> versions(Caller caller, String code, PageRequest page) {
    int after = page.first() ? 0 : (int) page.longKey(1, 0);
    return visible(caller, code)
        .compose(r -> store.versions(code, after, page.fetchSize()))
        .map(rows -> page.page(rows, VersionRecord::toJson, v -> new Object[] {v.version()}));
  }

  public Future<JsonObject> search(CatalogSearch search, PageRequest page) {
    CatalogSearch paged = page.first() ? search : search.after(page.stringKey(1, 0));
    return store.search(paged, page.fetchSize(), false)
        .map(rows -> page.page(rows, CatalogRecord::toSummaryJson, r -> new Object[] {r.code()}));
  }

  /** Who is searching decides what a search may show; the caller's filters narrow it further. */
  public CatalogSearch searchFor(Caller caller, Optional<String> q, Map<String, Optional<String>> filters, boolean scan) {
    Principal p = caller.principal();
    if (scan && !p.isPlatformAdmin()) {
      throw Problem.forbidden("plan=scan is a diagnostic for platform administrators");
    }
    List<String> words = q.map(SearchTerms::words).orElse(List.of());
    if (words.size() > 10) {
      throw Problem.invalid("q", "at most 10 words");
    }
    return new CatalogSearch(words, filters.get("provider"), filters.get("category"), filters.get("subject"),
        filters.get("shareType"), filters.get("updatePeriod"), filters.get("status"), p.department(), p.isPlatformAdmin(),
        Optional.empty(), !scan);
  }

  /**
   * Feeds the matching entries to {@code sink} in batches, so a large catalogue never sits in
   * memory whole, together with the names of their providers.
   */
  public Future<Void> export(Caller caller, CatalogSearch search, ExportSink sink) {
    return store.departmentNames(search.provider().stream().toList())
        .compose(names -> exportFrom(search, names, sink, 0))
        .compose(count -> audit.append(AuditEntry.of(caller, AuditAction.CATALOG_EXPORT, null, search.provider().orElse(null),
            Outcome.OK, new JsonObject().put("resources", count).put("format", "text/csv"))))
        .mapEmpty();
  }

  @FunctionalInterface
  public interface ExportSink {
    Future<Void> accept(List<CatalogRecord> batch, Map<String, String> departmentNames);
  }

  private Future<Integer> exportFrom(CatalogSearch search, Map<String, String> names, ExportSink sink, int sent) {
    return store.search(search, EXPORT_BATCH, true).compose(batch -> {
      if (batch.isEmpty()) {
        return Future.succeededFuture(sent);
      }
      Future<Void> written = sink.accept(batch, names);
      if (batch.size() < EXPORT_BATCH) {
        return written.map(v -> sent + batch.size());
      }
      return written.compose(v -> exportFrom(search.after(batch.get(batch.size() - 1).code()), names, sink, sent + batch.size()));
    });
  }

  /** Another department's draft is not shown: only that the element is taken (see {@link ElementSource#reserved}). */
  public Future<JsonObject> dataElement(Caller caller, String element) {
    return store.sources(List.of(element)).map(found -> {
      ElementSource s = found.get(element);
      if (s == null) {
        throw Problem.notFound("no resource is the authoritative source of data element '" + element + "'");
      }
      if (hiddenDraft(caller.principal(), s)) {
        throw Problem.notFound("data element '" + element + "' has no published authoritative source yet; an entry that another"
            + " department is registering reserves it");
      }
      return s.toJson();
    });
  }

  public Future<JsonObject> filings(Caller caller, Optional<String> provider, Optional<String> code, PageRequest page) {
    Principal p = caller.principal();
    boolean seesAll = p.isPlatformAdmin() || p.has(Role.AUDITOR);
    if (!seesAll && provider.isPresent() && !provider.get().equals(p.department())) {
      throw Problem.forbidden("the filings of other departments are the bureau's to read");
    }
    Optional<String> scope = seesAll ? provider : Optional.of(p.department());
    long after = page.first() ? 0 : page.longKey(1, 0);
    return store.filings(scope, code, after, page.fetchSize())
        .map(rows -> page.page(rows, Filing::toJson, f -> new Object[] {f.id()}));
  }

  /** The authoritative source of a data element, draft or not (cross-checks judge its status themselves). */
  public Future<Optional<ElementSource>> source(String element) {
    return store.sources(List.of(element)).map(found -> Optional.ofNullable(found.get(element)));
  }

  /** Codes of the entries that hold a non-authoritative copy of a data element. */
  public Future<List<String>> copies(String element) {
    return store.copies(element);
  }

  /** The current version of an entry with all its item metadata (the data plane checks lines against it). */
  public Future<Optional<CatalogRecord>> current(String code) {
    return store.find(code);
  }

  @Override
  public Future<Optional<SharedResource>> resource(String code) {
    return store.find(code).map(r -> r.map(CatalogRecord::toShared));
  }

  @Override
  public Future<List<EntryChange>> changesAfter(java.time.OffsetDateTime after) {
    return store.changesAfter(after);
  }

  /**
   * One datum, one source: an authoritative item must not compete with another resource's, and a
   * copy must name where the datum really comes from. Drafts reserve their elements (first come),
   * so a conflict shows when an entry is registered, not when it is about to be published. Another
   * department's draft is not named: its provider has published nothing yet.
   */
  /** A PROXY entry is published only with an endpoint this deployment may call (a draft may wait for the operator). */
  private Future<Void> checkEndpoint(JsonObject entry) {
    JsonObject access = entry.getJsonObject("access", new JsonObject());
    if (!"PROXY".equals(access.getString("mode"))) {
      return Future.succeededFuture();
    }
    return endpoints.refusal(access.getString("endpoint"))
        .<Future<Void>>map(why -> Future.failedFuture(Problem.rule("access.endpoint", why + "; the platform would refuse to call it")))
        .orElse(Future.succeededFuture());
  }

  private Future<Void> checkSources(Caller caller, String code, JsonObject entry) {
    JsonArray items = entry.getJsonArray("items");
    Set<String> elements = new LinkedHashSet<>();
    for (int i = 0; i < items.size(); i++) {
      String element = items.getJsonObject(i).getString("dataElement");
      if (element != null) {
        elements.add(element);
      }
    }
    return store.sources(elements).compose(found -> {
      List<Problem.FieldError> wrongSource = new ArrayList<>();
      for (int i = 0; i < items.size(); i++) {
        JsonObject item = items.getJsonObject(i);
        ElementSource s = item.getString("dataElement") == null ? null : found.get(item.getString("dataElement"));
        if (s == null || s.code().equals(code)) {
          continue;
        }
        boolean hidden = hiddenDraft(caller.principal(), s);
        if (item.getBoolean("authoritative")) {
          return Future.failedFuture(hidden ? s.reserved("items[" + i + "].authoritative") : s.secondSource("items[" + i + "].authoritative"));
        }
        if (hidden && !s.code().equals(item.getString("sourceResource"))) {
          wrongSource.add(new Problem.FieldError("items[" + i + "].sourceResource",
              "the authoritative source of '" + s.element() + "' is not published yet; name it once it is"));
        } else if (!s.code().equals(item.getString("sourceResource"))) {
          wrongSource.add(new Problem.FieldError("items[" + i + "].sourceResource",
              "the authoritative source of '" + s.element() + "' is " + s.code() + " item " + s.itemKey()));
        }
      }
      return wrongSource.isEmpty() ? Future.succeededFuture() : Future.failedFuture(Problem.rule(wrongSource));
    });
  }

  private Future<CatalogRecord> visible(Caller caller, String code) {
    return store.find(code).map(found -> found
        .filter(r -> !r.draft() || seesDraftsOf(caller.principal(), r.provider()))
        .orElseThrow(() -> Problem.notFound("catalogue resource", code)));
  }

  private static boolean hiddenDraft(Principal p, ElementSource s) {
    return "DRAFT".equals(s.status()) && !seesDraftsOf(p, s.provider());
  }

  private static boolean seesDraftsOf(Principal p, String provider) {
    return p.isPlatformAdmin() || p.department().equals(provider);
  }

  private static void requireEditor(Caller caller, String provider, String what) {
    Principal p = caller.principal();
    if (p.department().equals(provider) && p.hasAny(Role.PROVIDER, Role.DEPT_ADMIN)) {
      return;
    }
    throw Problem.forbidden("only PROVIDER or DEPT_ADMIN clients of department " + provider + " may " + what);
  }

  private static String today() {
    return LocalDate.now(Times.zone()).toString();
  }
}
