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
   *
   * <p>A page stops after a grant or catalogue event, so the next call scopes with the access that
   * event brought. When the reader's access ended by a change after {@code afterSeq} (its grant revoked,
   * expired or ended; the resource retired), the page delivers that change and then a last event
   * {@code end} with the reason, instead of the 403. Every data change is delivered; as no history is
   * kept, an upsert superseded by a later change of the same record carries the record's current state
   * (none when it was deleted since) and {@code superseded: true}.
   */
  Future<Page> after(Caller reader, String resource, long afterSeq, int limit);

  /** The last sequence number handed out for {@code resource} (0 before its first change): where a new subscriber starts. */
  Future<Long> head(String resource);

  /**
   * Tells {@code handler} (resource, last committed seq) whenever changes of a resource commit on any
   * instance. Returns what cancels the registration.
   */
  Runnable onCommit(BiConsumer<String, Long> handler);

  record Page(List<ChangeEvent> events, long lastSeq) {
    /** True when the page ends with an {@code end} event: the reader's feed is over. */
    public boolean ended() {
      return !events.isEmpty() && ChangeEvent.END.equals(events.get(events.size() - 1).event());
    }
  }
}
