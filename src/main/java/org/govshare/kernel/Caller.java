package org.govshare.kernel;


/**
 * The origin of a request as the audit log records it. {@code principal} is null for anonymous
 * calls (the token endpoint, refused requests without a valid token). {@code requestId} is the
 * server's own; {@code clientRequestId} what the client sent as X-Request-Id, if anything.
 */
public record Caller(Principal principal, String requestId, String claimedClientId, String clientRequestId) {

  public Caller(Principal principal, String requestId, String claimedClientId) {
    this(principal, requestId, claimedClientId, null);
  }

  public static Caller of(Principal principal, String requestId) {
    return new Caller(principal, requestId, principal == null ? null : principal.clientId());
  }

  public static Caller system(String requestId) {
    return new Caller(null, requestId, "system");
  }

  public String clientId() {
    return principal != null ? principal.clientId() : claimedClientId;
  }

  public String department() {
    return principal != null ? principal.department() : null;
  }
}
