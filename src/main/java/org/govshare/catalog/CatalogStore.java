package org.govshare.catalog;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.govshare.audit.AuditOf;

public interface CatalogStore {

  /** A checked entry to register: the store assigns its code. */
  record NewResource(String provider, JsonObject entry, String createdBy) {}

  /** Allocates the code and writes version 1 as a DRAFT, in one transaction. Each change commits with its audit records. */
  Future<CatalogRecord> create(NewResource resource, AuditOf<CatalogRecord> audit);

  /** For seeding large catalogues: many entries in one transaction, published and filed at once. */
  Future<Integer> createPublished(List<NewResource> resources);

  Future<Optional<CatalogRecord>> find(String code);

  Future<List<EntryChange>> changesAfter(java.time.OffsetDateTime after);

  /** Rewrites the current DRAFT version in place; a 409 when the entry moved on meanwhile. */
  Future<CatalogRecord> amendDraft(String code, int version, JsonObject entry, String by, AuditOf<CatalogRecord> audit);

  /**
   * Publishes {@code newVersion} (the same number as the current draft, or the next one after a
   * published version) and files it with the bureau, in one transaction.
   */
  Future<CatalogRecord> publish(String code, int currentVersion, int newVersion, JsonObject entry, JsonObject changes, String by,
      AuditOf<CatalogRecord> audit);

  Future<CatalogRecord> retire(String code, int version, AuditOf<CatalogRecord> audit);

  Future<List<VersionRecord>> versions(String code, int afterVersion, int limit);

  /** In code order; {@code withItems} false leaves the items out of each entry and puts their {@code itemCount} in. */
  Future<List<CatalogRecord>> search(CatalogSearch search, int limit, boolean withItems);

  /** Department names by code, for the export. */
  Future<Map<String, String>> departmentNames(Collection<String> codes);

  Future<Map<String, ElementSource>> sources(Collection<String> elements);

  /** Codes of current, not retired entries with a non-authoritative item of {@code element} (its copies), in code order. */
  Future<List<String>> copies(String element);

  Future<List<Filing>> filings(Optional<String> provider, Optional<String> code, long afterId, int limit);
}
