package org.govshare.objection;

/** The inbox codes of objections and cross-checks; clients switch on them. */
enum ObjectionKind {
  OBJECTION_FILED,
  OBJECTION_ANSWERED,
  OBJECTION_OVERDUE,
  CROSSCHECK_DONE,
  CROSSCHECK_OBJECTIONS_FILED
}
