package org.govshare.platform.cluster;

import java.io.Serializable;

/**
 * One token bucket's state and the one operation on it, as a pure function: refill by the time
 * passed (at most up to the burst), then hand out up to the tokens wanted. Run atomically on the
 * key's Hazelcast owner ({@link TakeTokens}) or under a local lock, so both modes share the arithmetic.
 */
public record TokenBucket(double tokens, long atMillis) implements Serializable {

  /** What a take answered: tokens handed out and, when none, milliseconds until the next one. */
  public record Take(int granted, long waitMillis) implements Serializable {}

  /** The bucket after a take, and the answer. */
  public record Taken(TokenBucket bucket, Take take) {}

  /** {@code bucket} null: a bucket not used for a while, which is full. */
  public static Taken take(TokenBucket bucket, long nowMillis, double perSecond, int burst, int wanted) {
    double tokens;
    long at;
    if (bucket == null) {
      tokens = burst;
      at = nowMillis;
    } else {
      // a clock that went back (a new owner after a migration) adds nothing and moves nothing back
      long elapsed = Math.max(0, nowMillis - bucket.atMillis);
      // a lowered burst applies at once
      tokens = Math.min(burst, bucket.tokens + elapsed * perSecond / 1000.0);
      at = Math.max(nowMillis, bucket.atMillis);
    }
    int granted = (int) Math.max(0, Math.min(wanted, Math.floor(tokens)));
    tokens -= granted;
    long wait = granted > 0 ? 0 : (long) Math.ceil((1 - tokens) * 1000.0 / perSecond);
    return new Taken(new TokenBucket(tokens, at), new Take(granted, Math.max(0, wait)));
  }

  /** Long enough to refill completely: after it an expired bucket and a kept one answer the same. */
  public static long idleMillis(double perSecond, int burst) {
    return (long) Math.ceil(burst * 1000.0 / perSecond) + 1_000;
  }
}
