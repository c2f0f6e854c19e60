package org.govshare.testing;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** The system clock until a test sets it; then that instant (moving with real time) until {@link #reset}. */
public final class TestClock extends Clock {
  private volatile Instant setAt;
  private volatile long setNanos;

  public void set(Instant now) {
    setNanos = System.nanoTime();
    setAt = now;
  }

  public void reset() {
    setAt = null;
  }

  @Override
  public Instant instant() {
    Instant at = setAt;
    return at == null ? Instant.now() : at.plusNanos(System.nanoTime() - setNanos);
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    TestClock source = this;
    return new Clock() {
      @Override
      public Instant instant() {
        return source.instant();
      }

      @Override
      public ZoneId getZone() {
        return zone;
      }

      @Override
      public Clock withZone(ZoneId other) {
        return source.withZone(other);
      }
    };
  }
}
