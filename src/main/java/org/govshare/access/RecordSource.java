package org.govshare.access;

import io.vertx.core.Future;
import java.util.List;

/**
 * Where the records of a resource are read from. Today the hosted table; a record cache or the
 * provider's own interface (PROXY resources) sit behind the same question.
 */
public interface RecordSource {
  /** The records found among {@code keys}, in any order; keys not found are simply absent. */
  Future<List<StoredRecord>> fetch(RecordSchema resource, List<String> keys);
}
