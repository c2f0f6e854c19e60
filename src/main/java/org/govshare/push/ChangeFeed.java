package org.govshare.push;

import io.vertx.core.Future;
import java.util.List;
import java.util.function.BiConsumer;
import org.govshare.kernel.Caller;

/**
 * A resource's change log read as a subscriber sees it: what SSE streams and webhooks deliver.
 * Events come in sequence order without gaps in what the subscriber may see.
 */
public interface ChangeFeed {
  /**
   * Up to {@code limit} events after {@code afterSeq}, each scoped for {@code reader} at the time of
   * this call. {@code lastSeq}: the highest sequence examined (the cursor to continue from, also when
   * every examined change was filtered out). Fails with a 403 problem when the reader may read nothing
   * of the resource, and a 410 problem when {@code afterSeq} is older than the retention.
   */
  Future<Page> after(Caller reader, String resource, long afterSeq, int limit);

  /**
   * Tells {@code handler} (resource, last committed seq) whenever changes of a resource commit on any
   * instance. Returns what cancels the registration.
   */
  Runnable onCommit(BiConsumer<String, Long> handler);

  record Page(List<ChangeEvent> events, long lastSeq) {}
}
