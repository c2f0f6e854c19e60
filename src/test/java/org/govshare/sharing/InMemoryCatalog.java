package org.govshare.sharing;

import io.vertx.core.Future;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.govshare.catalog.CatalogDirectory;
import org.govshare.catalog.SharedResource;

/** Catalogue entries as the sharing rules read them, held in memory for tests. */
final class InMemoryCatalog implements CatalogDirectory {
  private final Map<String, SharedResource> resources = new ConcurrentHashMap<>();

  void put(SharedResource resource) {
    resources.put(resource.code(), resource);
  }

  @Override
  public Future<Optional<SharedResource>> resource(String code) {
    return Future.succeededFuture(Optional.ofNullable(resources.get(code)));
  }
}
