package org.govshare.platform.db;

/** The database did not answer in time (stalled, unreachable, pool exhausted): the caller gets a 503 and may retry. */
public final class DatabaseUnavailable extends RuntimeException {
  public DatabaseUnavailable(String message, Throwable cause) {
    super(message, cause, false, false);
  }
}
