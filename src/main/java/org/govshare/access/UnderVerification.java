package org.govshare.access;

import io.vertx.core.Future;
import java.util.Collection;
import java.util.Map;
import java.util.Set;

/**
 * Which items of which records are under verification (an open objection names them). The data
 * plane asks; the objections capability answers, so access does not depend on it.
 */
public interface UnderVerification {
  /** No record is under verification: the answer until objections are wired in. */
  UnderVerification NONE = (resource, keys) -> Future.succeededFuture(Map.of());

  /** For each of {@code keys} (canonical) that has open objections, the items they name; other keys absent. */
  Future<Map<String, Set<String>>> items(String resource, Collection<String> keys);
}
