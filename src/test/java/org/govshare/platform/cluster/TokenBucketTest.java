package org.govshare.platform.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TokenBucketTest {

  @Test
  void take_startsFull_handsOutAtMostWhatItHolds_thenSaysHowLongToWait() {
    TokenBucket.Taken first = TokenBucket.take(null, 1_000, 2, 5, 3);
    assertThat(first.take().granted()).isEqualTo(3);
    TokenBucket.Taken second = TokenBucket.take(first.bucket(), 1_000, 2, 5, 3);
    assertThat(second.take().granted()).isEqualTo(2);
    TokenBucket.Taken empty = TokenBucket.take(second.bucket(), 1_000, 2, 5, 1);
    assertThat(empty.take().granted()).isZero();
    assertThat(empty.take().waitMillis()).isEqualTo(500); // 2 per second: the next in half a second
  }

  @Test
  void take_refillsWithTimeButNeverBeyondTheBurst() {
    TokenBucket drained = TokenBucket.take(null, 0, 10, 4, 4).bucket();
    assertThat(TokenBucket.take(drained, 250, 10, 4, 10).take().granted()).isEqualTo(2);
    assertThat(TokenBucket.take(drained, 60_000, 10, 4, 10).take().granted()).isEqualTo(4);
  }

  @Test
  void take_appliesALoweredBurstAtOnce() {
    TokenBucket full = TokenBucket.take(null, 0, 1000, 4000, 0).bucket();
    assertThat(TokenBucket.take(full, 0, 1, 3, 10).take().granted()).isEqualTo(3);
  }

  @Test
  void take_aClockThatWentBackAddsNothing() {
    TokenBucket drained = TokenBucket.take(null, 10_000, 1, 2, 2).bucket();
    TokenBucket.Taken behind = TokenBucket.take(drained, 5_000, 1, 2, 1);
    assertThat(behind.take().granted()).isZero();
    assertThat(behind.bucket().atMillis()).isEqualTo(10_000);
    assertThat(TokenBucket.take(behind.bucket(), 11_000, 1, 2, 1).take().granted()).isEqualTo(1);
  }

  @Test
  void block_isASliverOfTheRateAndOfTheBurst() {
    assertThat(RateLimiter.block(new RateLimiter.Rate(2000, 4000))).isEqualTo(40);
    assertThat(RateLimiter.block(new RateLimiter.Rate(1_000_000, 10_000_000))).isEqualTo(64);
    assertThat(RateLimiter.block(new RateLimiter.Rate(1, 20))).isEqualTo(1);
    assertThat(RateLimiter.block(new RateLimiter.Rate(5000, 16))).isEqualTo(2);
  }
}
