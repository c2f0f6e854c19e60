package org.govshare.identity;

import org.govshare.kernel.Role;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class RolePolicyTest {
  private final RolePolicy policy = new RolePolicy("BUREAU");

  @Test
  void effective_dropsBureauRolesOutsideTheBureau() {
    assertThat(policy.effective("GAJ", EnumSet.of(Role.PLATFORM_ADMIN, Role.CONSUMER))).containsExactly(Role.CONSUMER);
    assertThat(policy.effective("GAJ", EnumSet.of(Role.AUDITOR))).isEmpty();
    assertThat(policy.effective("BUREAU", EnumSet.of(Role.PLATFORM_ADMIN))).containsExactly(Role.PLATFORM_ADMIN);
  }

  @Test
  void effective_leavesAnAuditorOnlyAuditing() {
    assertThat(policy.effective("BUREAU", EnumSet.of(Role.AUDITOR, Role.DEPT_ADMIN))).containsExactly(Role.AUDITOR);
  }

  @Test
  void problems_refuseBureauRolesElsewhereAuditorWithOthersAndAdminWithAuditor() {
    assertThat(policy.problems("GAJ", EnumSet.of(Role.AUDITOR))).hasSize(1);
    assertThat(policy.problems("GAJ", EnumSet.of(Role.PLATFORM_ADMIN))).hasSize(1);
    assertThat(policy.problems("BUREAU", EnumSet.of(Role.AUDITOR, Role.CONSUMER))).hasSize(1);
    assertThat(policy.problems("BUREAU", EnumSet.of(Role.AUDITOR, Role.PLATFORM_ADMIN))).hasSize(1);
    assertThat(policy.problems("BUREAU", EnumSet.of(Role.AUDITOR))).isEmpty();
    assertThat(policy.problems("GAJ", EnumSet.of(Role.DEPT_ADMIN, Role.PROVIDER))).isEmpty();
  }

  @Test
  void privileged_meansABureauRole() {
    assertThat(RolePolicy.privileged(EnumSet.of(Role.CONSUMER, Role.AUDITOR))).isTrue();
    assertThat(RolePolicy.privileged(EnumSet.of(Role.DEPT_ADMIN))).isFalse();
  }
}
