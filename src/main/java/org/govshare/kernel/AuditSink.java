package org.govshare.kernel;

import io.vertx.core.Future;

/** Where the platform's HTTP layer sends its audit records; the audit module's writer is the one implementation. */
public interface AuditSink {
  /** Completes with the record's place (seq) in the chain once it is durable. */
  Future<Long> append(AuditEntry entry);
}
