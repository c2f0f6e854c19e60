package org.govshare.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.govshare.platform.Problem;
import org.govshare.platform.config.GovshareConfig.LoginLimits;
import org.junit.jupiter.api.Test;

class LoginGuardTest {
  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  private final LoginGuard guard = new LoginGuard(new LoginLimits(3, 5, 60, 4, 2, 30), nanos::get);

  private void fail(String client, String address) {
    guard.admit(client, address);
    guard.release(address);
    guard.record(client, address, false);
  }

  private Problem refused(String client, String address) {
    Problem p = catchThrowableOfType(Problem.class, () -> guard.admit(client, address));
    assertThat(p).as("refused").isNotNull();
    assertThat(p.status()).isEqualTo(429);
    assertThat(p.code()).isEqualTo("RATE_LIMITED");
    return p;
  }

  @Test
  void admit_refusesAClientOverItsFailures_untilTheWindowEnds() {
    for (int i = 0; i < 3; i++) {
      fail("c", "10.0.0." + i);
    }
    nanos.addAndGet(TimeUnit.SECONDS.toNanos(20));
    assertThat(refused("c", "10.0.0.9").retryAfterSeconds()).hasValue(40);
    nanos.addAndGet(TimeUnit.SECONDS.toNanos(41));
    assertThatCode(() -> guard.admit("c", "10.0.0.9")).doesNotThrowAnyException();
  }

  @Test
  void admit_refusesAnAddressOverItsFailures_whateverTheClient() {
    for (int i = 0; i < 5; i++) {
      fail("c" + i, "10.0.0.1");
    }
    refused("someone-else", "10.0.0.1");
    assertThatCode(() -> guard.admit("someone-else", "10.0.0.2")).doesNotThrowAnyException();
  }

  @Test
  void success_clearsTheClientsFailuresButNotTheAddresss() {
    fail("c", "a");
    fail("c", "a");
    guard.admit("c", "a");
    guard.release("a");
    guard.record("c", "a", true);
    fail("c", "b");
    fail("c", "b");
    assertThatCode(() -> guard.admit("c", "b")).doesNotThrowAnyException();
  }

  @Test
  void admit_boundsChecksUnderWayPerAddressAndInAll() {
    guard.admit("c1", "a");
    guard.admit("c2", "a");
    assertThat(refused("c3", "a").retryAfterSeconds()).hasValue(1);
    guard.admit("c4", "b");
    guard.admit("c5", "c");
    refused("c6", "d"); // four under way in all
    guard.release("a");
    assertThatCode(() -> guard.admit("c6", "d")).doesNotThrowAnyException();
  }

  @Test
  void checksUnderWay_countAgainstTheAddresssFailures() {
    for (int i = 0; i < 4; i++) {
      fail("c" + i, "a");
    }
    guard.admit("c8", "a"); // the fifth, still being checked
    refused("c9", "a");
  }
}
