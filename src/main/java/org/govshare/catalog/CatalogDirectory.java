package org.govshare.catalog;

import io.vertx.core.Future;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/**
 * What other capabilities (sharing, the data plane) read of the catalogue: the current version of
 * a resource with the effective share type of each item. Implemented by the catalogue module.
 */
public interface CatalogDirectory {
  Future<Optional<SharedResource>> resource(String code);

  /**
   * Entries changed after {@code after} (null: lately), for instances that cache entries to drop
   * what another instance changed. Reads back a window: a change's time is its transaction's start.
   */
  Future<List<EntryChange>> changesAfter(OffsetDateTime after);
}
