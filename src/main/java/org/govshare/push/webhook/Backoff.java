package org.govshare.push.webhook;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When to try again after {@code failures} failed attempts in a row: initial × 2^(failures−1),
 * capped at max, with up to 20 % taken off at random so that receivers coming back are not hit by
 * every retry at the same instant.
 */
public record Backoff(long initialMs, long maxMs) {
  public long delayMs(int failures) {
    int exponent = Math.max(0, Math.min(failures - 1, 40));
    double raw = initialMs * Math.pow(2, exponent);
    long capped = (long) Math.min(raw, maxMs);
    long jitter = (long) (capped * 0.2 * ThreadLocalRandom.current().nextDouble());
    return Math.max(1, capped - jitter);
  }

  /** Whether a run of failures that began {@code failingFor} ago has lasted past the give-up time. */
  public static boolean givesUp(Duration failingFor, Duration giveUpAfter) {
    return failingFor.compareTo(giveUpAfter) >= 0;
  }
}
