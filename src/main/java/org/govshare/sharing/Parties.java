package org.govshare.sharing;

import io.vertx.core.Future;
import java.util.Optional;
import java.util.function.Supplier;
import org.govshare.kernel.Principal;
import org.govshare.kernel.Role;
import org.govshare.platform.Problem;

/** Who may act for which side of an application, grant or dispute. */
final class Parties {
  private Parties() {}

  /** The bureau's administrators and auditors see every department's applications, grants and disputes. */
  static boolean seesAll(Principal p) {
    return p.hasAny(Role.PLATFORM_ADMIN, Role.AUDITOR);
  }

  static void requireConsumer(Principal p, String consumer, String what) {
    if (!p.department().equals(consumer) || !p.hasAny(Role.CONSUMER, Role.DEPT_ADMIN)) {
      throw Problem.forbidden(p.department().equals(consumer) ? "only CONSUMER or DEPT_ADMIN clients of the consumer department may " + what
          : "only the consumer department (CONSUMER or DEPT_ADMIN) may " + what);
    }
  }

  static void requireProvider(Principal p, String provider, String what) {
    if (!p.department().equals(provider) || !p.hasAny(Role.PROVIDER, Role.DEPT_ADMIN)) {
      throw Problem.forbidden(p.department().equals(provider) ? "only PROVIDER or DEPT_ADMIN clients of the provider department may " + what
          : "only the provider department (PROVIDER or DEPT_ADMIN) may " + what);
    }
  }

  static void requireParty(Principal p, String consumer, String provider, String what) {
    if (!seesAll(p) && !p.department().equals(consumer) && !p.department().equals(provider)) {
      throw Problem.forbidden(what + " is visible to its consumer and provider departments and the bureau only");
    }
  }

  /**
   * Runs work about one resource; a refusal is then audited under the resource, so it is found by
   * {@code GET /api/v1/audit?resource=}. A 403 does not show the resource to the caller: who is
   * refused is not a party, and the parties and resource of an application are theirs to see.
   */
  static <T> Future<T> about(String resource, Supplier<Future<T>> work) {
    Future<T> f;
    try {
      f = work.get();
    } catch (RuntimeException e) {
      f = Future.failedFuture(e);
    }
    return f.recover(e -> Future.failedFuture(e instanceof Problem p
        ? (p.status() == 403 ? p.auditedAs(resource) : p.with("resource", resource).auditedAs(resource)) : e));
  }

  /** The department a list is about: one's own, or for the bureau any department it names (or all). */
  static Optional<String> listDepartment(Principal p, Optional<String> requested, Optional<String> side) {
    if (seesAll(p)) {
      return requested.isPresent() ? requested : side.isPresent() ? Optional.of(p.department()) : Optional.empty();
    }
    if (requested.isPresent() && !requested.get().equals(p.department())) {
      throw Problem.forbidden("a department lists only its own applications, grants and disputes");
    }
    return Optional.of(p.department());
  }
}
