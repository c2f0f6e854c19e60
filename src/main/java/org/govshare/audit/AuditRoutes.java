package org.govshare.audit;

import org.govshare.kernel.AuditAction;
import org.govshare.audit.AuditStore.Filter;
import org.govshare.platform.http.Api;
import org.govshare.platform.http.Reply;

public final class AuditRoutes implements org.govshare.platform.http.Routes {
  private final AuditService audit;

  public AuditRoutes(AuditService audit) {
    this.audit = audit;
  }

  @Override
  public void mount(Api api) {
    api.on("listAudit", AuditAction.AUDIT_READ, req -> audit.list(req.caller(), new Filter(
            req.query("department"), req.query("action"), req.query("resource"), req.queryTimestamp("from"),
            req.queryTimestamp("to"), req.query("outcome"), req.query("subject")), req.page())
        .map(Reply::ok));
    api.on("verifyAudit", AuditAction.AUDIT_VERIFY, req -> audit.verify(req.caller()).map(Reply::ok));
  }
}
