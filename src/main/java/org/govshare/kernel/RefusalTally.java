package org.govshare.kernel;

/** Counts refusals of anonymous requests instead of recording each (identity's AnonymousRefusals). */
public interface RefusalTally {
  /** {@code source} is the remote address, or null when unknown. */
  void record(AuditEntry entry, String source);
}
