package org.govshare.push.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.govshare.platform.Problem;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CallbackUrlTest {
  private static final Set<String> ALLOWED = Set.of("127.0.0.1", "receiver.internal");

  @ParameterizedTest
  @ValueSource(strings = {"https://hooks.example.cn/govshare", "https://hooks.example.cn:8443/a/b?token=x", "HTTPS://Example.com/",
      "http://127.0.0.1:9000/hook", "http://RECEIVER.internal/hook"})
  void check_acceptsHttpsAndAllowedPlainHttp(String url) {
    assertThat(CallbackUrl.check(url, ALLOWED, 200).toString()).isEqualTo(url);
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://hooks.example.cn/govshare", "http://127.0.0.2/hook", "http://localhost/hook", "ftp://example.com/x",
      "https://user:pass@example.com/hook", "https://token@example.com/hook", "https:///nohost", "/relative/path", "mailto:a@b.cn",
      "https://example.com/hook#frag", "https://exa mple.com/", "https://example.com:0/", "javascript:alert(1)"})
  void check_refusesWithA422OnCallbackUrl(String url) {
    assertThatThrownBy(() -> CallbackUrl.check(url, ALLOWED, 200)).isInstanceOfSatisfying(Problem.class, p -> {
      assertThat(p.status()).isEqualTo(422);
      assertThat(p.errors()).extracting(Problem.FieldError::field).containsExactly("callbackUrl");
    });
  }

  @org.junit.jupiter.api.Test
  void check_refusesOverlongUrls() {
    String url = "https://example.com/" + "a".repeat(200);
    assertThatThrownBy(() -> CallbackUrl.check(url, ALLOWED, 200)).isInstanceOf(Problem.class).hasMessageContaining("longer than 200");
  }
}
