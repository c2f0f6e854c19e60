package org.govshare.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.govshare.access.RecordSchema.ProviderInterface;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ProviderEndpointTest {
  private static final List<String> ALLOWED = List.of("zw.example.gov.cn", "10.1.2.3:8443", "[::1]:9000");

  private static String target(String endpoint, String method, String key) {
    return ProviderEndpoint.target(new ProviderInterface(endpoint, method), key, ALLOWED).toString();
  }

  @Test
  void target_putsTheKeyInThePlaceholderOrTheQuery() {
    assertThat(target("https://zw.example.gov.cn/people/{key}", "GET", "11010519491231002X"))
        .isEqualTo("https://zw.example.gov.cn/people/11010519491231002X");
    assertThat(target("https://zw.example.gov.cn/people", "GET", "A1")).isEqualTo("https://zw.example.gov.cn/people?key=A1");
    assertThat(target("https://zw.example.gov.cn/people?v=2", "GET", "A1")).isEqualTo("https://zw.example.gov.cn/people?v=2&key=A1");
    assertThat(target("https://zw.example.gov.cn/people", "POST", "A1")).isEqualTo("https://zw.example.gov.cn/people");
  }

  @Test
  void target_encodesTheKeySoItCannotChangeHostPathOrParameters() {
    assertThat(target("https://zw.example.gov.cn/people/{key}", "GET", "../admin?x=1#f"))
        .isEqualTo("https://zw.example.gov.cn/people/%2E%2E%2Fadmin%3Fx%3D1%23f");
    assertThat(target("https://zw.example.gov.cn/p?id={key}", "GET", "a&key=b")).isEqualTo("https://zw.example.gov.cn/p?id=a%26key%3Db");
    assertThat(target("http://[::1]:9000/p/{key}", "GET", "@evil.example")).isEqualTo("http://[::1]:9000/p/%40evil%2Eexample");
    assertThat(target("https://zw.example.gov.cn/p/{key}", "GET", "张三")).isEqualTo("https://zw.example.gov.cn/p/%E5%BC%A0%E4%B8%89");
  }

  @ParameterizedTest
  @CsvSource({
      "https://zw.example.gov.cn/p, true",
      "http://ZW.example.gov.cn:8080/p, true",
      "https://10.1.2.3:8443/p, true",
      "https://10.1.2.3/p, false",
      "http://[::1]:9000/p, true",
      "http://[::1]/p, false",
      "http://169.254.169.254/latest/meta-data, false",
      "http://zw.example.gov.cn.evil.example/p, false",
      "http://evil.example#@zw.example.gov.cn/p, false",
      "http://user:pw@zw.example.gov.cn/p, false",
      "ftp://zw.example.gov.cn/p, false",
      "file:///etc/passwd, false",
      "zw.example.gov.cn/p, false",
      "'', false"})
  void checked_allowsOnlyListedHostsOverHttp(String endpoint, boolean allowed) {
    assertThat(ProviderInterfaceSource.refusal(endpoint, ALLOWED).isEmpty()).as(endpoint).isEqualTo(allowed);
  }

  @Test
  void checked_emptyListAllowsNothing() {
    assertThatThrownBy(() -> ProviderEndpoint.checked(new ProviderInterface("http://127.0.0.1/p", "GET"), List.of()))
        .isInstanceOf(ProviderEndpoint.NotAllowed.class).hasMessageContaining("127.0.0.1:80");
  }
}
