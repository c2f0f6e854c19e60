package org.govshare.access;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * A cache of hosted records in front of the database (ADR 0009): it answers {@link #fetch} from
 * memory where it can, and {@link #written} is told of every committed change before the writer
 * answers, so no read after that answer returns the old record. It holds the records as stored
 * (every item); scoping and masking happen after, per caller.
 */
public interface RecordCache extends RecordSource {
  /** These keys of the resource changed and committed; complete before the write is answered. */
  Future<Void> written(String resource, List<String> keys);

  Future<Void> start();

  void stop();

  JsonObject health();
}
