package org.govshare.catalog;

import io.vertx.core.Future;
import java.util.Optional;

/**
 * What other capabilities (sharing, the data plane) read of the catalogue: the current version of
 * a resource with the effective share type of each item. Implemented by the catalogue module.
 */
public interface CatalogDirectory {
  Future<Optional<SharedResource>> resource(String code);
}
