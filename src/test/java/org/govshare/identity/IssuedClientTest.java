package org.govshare.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Set;
import org.govshare.kernel.Role;
import org.junit.jupiter.api.Test;

class IssuedClientTest {
  private static final OffsetDateTime AT = OffsetDateTime.of(2026, 3, 2, 9, 0, 0, 0, ZoneOffset.UTC);
  private final IssuedClient issued = new IssuedClient(
      new ApiClient("gs_tax_1", "TAX", "tax system", Set.of(Role.CONSUMER), "hash", 1, true, AT, AT), "s3cret-once");

  @Test
  void toString_hidesTheSecret() {
    assertThat(issued.toString()).contains("gs_tax_1").doesNotContain("s3cret-once");
  }

  @Test
  void toJson_showsTheSecretOnceBesideTheClient() {
    assertThat(issued.toJson().getString("clientSecret")).isEqualTo("s3cret-once");
    assertThat(issued.toJson().getString("clientId")).isEqualTo("gs_tax_1");
  }
}
