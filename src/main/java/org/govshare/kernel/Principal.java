package org.govshare.kernel;

import java.util.Set;

/** Who is calling: an authenticated API client of one department, with its roles. */
public record Principal(String clientId, String department, Set<Role> roles, int credentialVersion, long expiresAtEpochSecond) {

  public Principal {
    roles = Set.copyOf(roles);
  }

  public boolean has(Role role) {
    return roles.contains(role);
  }

  public boolean isPlatformAdmin() {
    return roles.contains(Role.PLATFORM_ADMIN);
  }

  public boolean hasAny(Role... wanted) {
    for (Role r : wanted) {
      if (roles.contains(r)) {
        return true;
      }
    }
    return false;
  }
}
