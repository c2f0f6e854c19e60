package org.govshare.platform.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class GovshareConfigTest {

  @Test
  void defaults_comeFromConf() {
    GovshareConfig c = GovshareConfig.from(Settings.load(Map.of()));
    assertThat(c.http().port()).isEqualTo(8080);
    assertThat(c.http().bodyLimitBytes()).isEqualTo(1024 * 1024);
    assertThat(c.http().smallBodyLimitBytes()).isEqualTo(8192);
    assertThat(c.database().url()).isEmpty();
    assertThat(c.timezone().getId()).isEqualTo("Asia/Shanghai");
  }

  @Test
  void environment_overridesEveryKey() {
    GovshareConfig c = GovshareConfig.from(Settings.load(Map.of(
        "GOVSHARE_HTTP_PORT", "9090",
        "GOVSHARE_DB_URL", "postgresql://gs:p%40ss@db.internal:6543/govshare",
        "GOVSHARE_ADMIN_SECRET", "s3cret",
        "GOVSHARE_HTTP_BODY_LIMIT_BYTES", "2048")));
    assertThat(c.http().port()).isEqualTo(9090);
    assertThat(c.http().bodyLimitBytes()).isEqualTo(2048);
    GovshareConfig.DbUrl db = c.database().url().orElseThrow();
    assertThat(db.host()).isEqualTo("db.internal");
    assertThat(db.port()).isEqualTo(6543);
    assertThat(db.user()).isEqualTo("gs");
    assertThat(db.password()).isEqualTo("p@ss");
    assertThat(db.toString()).doesNotContain("p@ss");
    assertThat(c.identity().toString()).doesNotContain("s3cret");
  }

  @Test
  void badValues_failWithTheVariableName() {
    assertThatThrownBy(() -> GovshareConfig.from(Settings.load(Map.of("GOVSHARE_HTTP_PORT", "eighty"))))
        .hasMessageContaining("GOVSHARE_HTTP_PORT");
    assertThatThrownBy(() -> GovshareConfig.from(Settings.load(Map.of("GOVSHARE_DB_URL", "mysql://x"))))
        .hasMessageContaining("GOVSHARE_DB_URL");
  }

  @Test
  void cluster_standaloneByDefault_membersFromTheEnvironment() {
    assertThat(GovshareConfig.from(Settings.load(Map.of())).cluster().clustered()).isFalse();
    GovshareConfig.ClusterConfig c = GovshareConfig.from(Settings.load(Map.of(
        "GOVSHARE_CLUSTER_MEMBERS", " 10.0.0.1:5701, 10.0.0.2:5702 ,", "GOVSHARE_CLUSTER_NAME", "prod"))).cluster();
    assertThat(c.clustered()).isTrue();
    assertThat(c.members()).containsExactly("10.0.0.1:5701", "10.0.0.2:5702");
    assertThat(c.name()).isEqualTo("prod");
    assertThat(c.port()).isEqualTo(5701);
  }

  @Test
  void cluster_memberWithoutPort_orLeaseShorterThanTwoHeartbeats_refused() {
    assertThatThrownBy(() -> GovshareConfig.from(Settings.load(Map.of("GOVSHARE_CLUSTER_MEMBERS", "10.0.0.1"))))
        .hasMessageContaining("GOVSHARE_CLUSTER_MEMBERS");
    assertThatThrownBy(() -> GovshareConfig.from(Settings.load(Map.of("GOVSHARE_CLUSTER_LEASE_MS", "400"))))
        .hasMessageContaining("cluster.lease-ms");
  }

  @Test
  void proxy_allowsNoHostByDefault_hostsFromTheEnvironment() {
    assertThat(GovshareConfig.from(Settings.load(Map.of())).proxy().allowedHosts()).isEmpty();
    GovshareConfig c = GovshareConfig.from(Settings.load(Map.of("GOVSHARE_PROXY_ALLOWED_HOSTS", " GA.example.gov.cn, 10.0.0.7:8443 ,[::1]:9000")));
    assertThat(c.proxy().allowedHosts()).containsExactly("ga.example.gov.cn", "10.0.0.7:8443", "[::1]:9000");
    assertThatThrownBy(() -> GovshareConfig.from(Settings.load(Map.of("GOVSHARE_PROXY_ALLOWED_HOSTS", "http://ga.example.gov.cn"))))
        .hasMessageContaining("GOVSHARE_PROXY_ALLOWED_HOSTS");
  }
}
