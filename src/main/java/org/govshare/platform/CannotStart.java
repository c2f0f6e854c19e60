package org.govshare.platform;

/** A reason the server cannot start that one line says fully (busy port, data directory in use): no stack trace. */
public final class CannotStart extends RuntimeException {
  public CannotStart(String message) {
    super(message, null, false, false);
  }
}
