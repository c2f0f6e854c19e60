package org.govshare.access;

import org.govshare.kernel.AuditAction;
import org.govshare.platform.http.Api;
import org.govshare.platform.http.ApiRequest;
import org.govshare.platform.http.Reply;
import org.govshare.platform.http.Routes;

/** The bureau's rate limits per department: read and set. */
public final class RateLimitRoutes implements Routes {
  private final RateLimits limits;

  public RateLimitRoutes(RateLimits limits) {
    this.limits = limits;
  }

  @Override
  public void mount(Api api) {
    api.on("getRateLimit", AuditAction.RATE_LIMIT_READ, req -> limits.get(req.caller(), department(req)).map(Reply::ok));
    // the contract has checked that both are integers; their bounds are rules (422)
    api.on("putRateLimit", AuditAction.RATE_LIMIT_SET, req -> limits.set(req.caller(), department(req),
        clamp(req.body().getLong("requestsPerSecond")), clamp(req.body().getLong("burst"))).map(Reply::ok));
  }

  /** A refusal is audited against the department it was about. */
  private static String department(ApiRequest req) {
    String code = req.path("code");
    req.context().put("govshare.auditSubject", code);
    return code;
  }

  // out-of-range stays out of range, so the rule names it, without overflowing int
  private static int clamp(long value) {
    return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, value));
  }
}
