package org.govshare.audit;

import io.vertx.core.Future;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

public interface AuditStore {
  record Filter(Optional<String> department, Optional<String> action, Optional<String> resource, Optional<OffsetDateTime> from,
      Optional<OffsetDateTime> to, Optional<String> outcome) {}

  record Head(long lastSeq, String lastHash) {}

  /** Newest first, seq below {@code beforeSeq} when given. */
  Future<List<AuditRecord>> list(Filter filter, Optional<Long> beforeSeq, int limit);

  /** Oldest first, seq above {@code afterSeq}. */
  Future<List<AuditRecord>> chunk(long afterSeq, int limit);

  Future<Optional<Head>> head();
}
