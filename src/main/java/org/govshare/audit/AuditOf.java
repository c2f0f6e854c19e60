package org.govshare.audit;

import org.govshare.kernel.AuditEntry;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The audit records of a state change, computed from what the store saved. The store writes them
 * into the audit outbox inside the change's own transaction, so both commit or neither does.
 */
@FunctionalInterface
public interface AuditOf<T> {
  List<AuditEntry> entries(T saved);

  static <T> AuditOf<T> one(Function<? super T, AuditEntry> entry) {
    return saved -> List.of(entry.apply(saved));
  }

  /** Nothing changed when the store found nothing to change: then nothing is recorded. */
  static <T> AuditOf<Optional<T>> ifPresent(AuditOf<T> audit) {
    return saved -> saved.map(audit::entries).orElse(List.of());
  }

  static <T> AuditOf<List<T>> each(Function<? super T, AuditEntry> entry) {
    return saved -> saved.stream().<AuditEntry>map(entry).toList();
  }

  /** Inserts the records on the change's connection; call it inside the change's transaction. */
  default Future<T> write(SqlConnection conn, T saved) {
    return AuditOutbox.insert(conn, entries(saved)).map(saved);
  }
}
