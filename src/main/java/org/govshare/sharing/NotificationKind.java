package org.govshare.sharing;

/** The stable codes of inbox entries; clients switch on them. */
public enum NotificationKind {
  APPLICATION_SUBMITTED,
  APPLICATION_APPROVED,
  APPLICATION_REJECTED,
  APPLICATION_WITHDRAWN,
  APPLICATION_OVERDUE,
  DISPUTE_OPENED,
  DISPUTE_RESOLVED,
  GRANT_REVOKED,
  GRANT_ENDED,
  GRANT_EXPIRED,
  CATALOG_FILED
}
