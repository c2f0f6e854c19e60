package org.govshare.catalog;

import io.vertx.core.Future;
import java.util.Set;
import org.govshare.kernel.Caller;

/**
 * Told by the catalogue when a resource is retired or a new version drops items, so grants to
 * them end (implemented by the sharing workflow). The catalogue waits for the returned future.
 */
public interface CatalogListener {
  /** A version was published or the entry retired: what was cached of it is stale. */
  Future<Void> entryChanged(String code);

  Future<Void> resourceRetired(Caller caller, String code);

  Future<Void> itemsRemoved(Caller caller, String code, Set<String> keys);
}
