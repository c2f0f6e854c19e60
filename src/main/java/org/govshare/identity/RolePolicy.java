package org.govshare.identity;

import org.govshare.kernel.Role;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.govshare.platform.Problem.FieldError;

/**
 * Which roles a client may hold and which of them count. PLATFORM_ADMIN and AUDITOR are the
 * bureau's: outside the bureau department they count for nothing, and only a platform
 * administrator hands them out or manages a client holding them. An AUDITOR reads and changes
 * nothing, so it is held alone.
 */
public final class RolePolicy {
  private static final Set<Role> BUREAU_ONLY = EnumSet.of(Role.PLATFORM_ADMIN, Role.AUDITOR);

  private final String bureau;

  public RolePolicy(String bureau) {
    this.bureau = bureau;
  }

  /** The roles a client of {@code department} holding {@code held} acts with. */
  public Set<Role> effective(String department, Set<Role> held) {
    Set<Role> roles = held.isEmpty() ? EnumSet.noneOf(Role.class) : EnumSet.copyOf(held);
    if (!bureau.equals(department)) {
      roles.removeAll(BUREAU_ONLY);
    }
    if (roles.contains(Role.AUDITOR)) {
      return EnumSet.of(Role.AUDITOR);
    }
    return roles;
  }

  /** Rotating, revoking or creating a client holding one of these needs a platform administrator. */
  public static boolean privileged(Set<Role> roles) {
    return roles.stream().anyMatch(BUREAU_ONLY::contains);
  }

  /** What is wrong with giving {@code roles} to a new client of {@code department}; empty when nothing. */
  public List<FieldError> problems(String department, Set<Role> roles) {
    List<FieldError> out = new ArrayList<>();
    if (roles.contains(Role.PLATFORM_ADMIN) && roles.contains(Role.AUDITOR)) {
      out.add(new FieldError("roles", "separation of duties: one client cannot hold both PLATFORM_ADMIN and AUDITOR"));
    } else if (roles.contains(Role.AUDITOR) && roles.size() > 1) {
      out.add(new FieldError("roles", "an AUDITOR only reads: it holds no other role"));
    }
    for (Role r : BUREAU_ONLY) {
      if (roles.contains(r) && !bureau.equals(department)) {
        out.add(new FieldError("roles", r + " belongs to clients of the bureau department (" + bureau + ") only"));
      }
    }
    return out;
  }
}
