package org.govshare.audit;

import io.vertx.core.Future;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

public interface AuditStore {
  /** {@code subject}: records about that subject, or about a client of that department. */
  record Filter(Optional<String> department, Optional<String> action, Optional<String> resource, Optional<OffsetDateTime> from,
      Optional<OffsetDateTime> to, Optional<String> outcome, Optional<String> subject) {}

  record Head(long lastSeq, String lastHash) {}

  /** Reads that all see the same state of the log. */
  interface Snapshot {
    Future<Optional<Head>> head();

    /** Oldest first, seq above {@code afterSeq}. */
    Future<List<AuditRecord>> chunk(long afterSeq, int limit);
  }

  /** Newest first, seq below {@code beforeSeq} when given. */
  Future<List<AuditRecord>> list(Filter filter, Optional<Long> beforeSeq, int limit);

  /** Runs {@code reads} in one read-only snapshot, so records committed meanwhile cannot look like intruders. */
  <T> Future<T> inSnapshot(Function<Snapshot, Future<T>> reads);
}
