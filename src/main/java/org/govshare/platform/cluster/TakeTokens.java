package org.govshare.platform.cluster;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.ExtendedMapEntry;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a {@link TokenBucket#take} on the key's owner, atomically, in one network hop. The entry lives
 * only as long as it takes to refill (a per-entry TTL): a department that stops calling leaves nothing
 * behind. The owner's wall clock measures the refill; after a migration the new owner's clock does,
 * and a clock behind the old one only delays the refill (see TokenBucket).
 */
record TakeTokens(double perSecond, int burst, int wanted) implements EntryProcessor<String, TokenBucket, TokenBucket.Take> {

  @Override
  public TokenBucket.Take process(Map.Entry<String, TokenBucket> entry) {
    TokenBucket.Taken taken = TokenBucket.take(entry.getValue(), System.currentTimeMillis(), perSecond, burst, wanted);
    if (entry instanceof ExtendedMapEntry<String, TokenBucket> extended) {
      extended.setValue(taken.bucket(), TokenBucket.idleMillis(perSecond, burst), TimeUnit.MILLISECONDS);
    } else {
      entry.setValue(taken.bucket());
    }
    return taken.take();
  }
}
