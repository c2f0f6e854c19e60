package org.govshare.sharing;

import io.vertx.core.Future;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.govshare.kernel.AuditEntry;
import org.govshare.audit.AuditOf;

/**
 * Applications with their history, grants and disputes. Each method that changes state is one
 * transaction, which also writes the change's audit records ({@link AuditOf}).
 */
public interface SharingStore {

  /** Which applications a list shows: {@code department} matches consumer or provider when {@code side} is empty. */
  record ApplicationFilter(Optional<String> department, Optional<String> side, Optional<Application.Status> status,
      Optional<Boolean> overdue, Optional<String> resource, Instant now) {}

  record GrantFilter(Optional<String> department, Optional<String> side, Optional<Grant.Status> status, Optional<String> resource) {}

  record DisputeFilter(Optional<String> department, Optional<String> side, Optional<Dispute.Status> status) {}

  /** {@code items} and {@code clearItems} are null for a rejection. */
  record Decision(Application.Status status, String decidedBy, Instant decidedAt, String reason, List<String> items, String conditions,
      LocalDate validUntil, int workingDays, List<String> clearItems) {}

  /** A resolved dispute, with the grants an overturn replaced. */
  record Resolution(Dispute dispute, List<String> supersededGrants) {}

  /** A grant changed: every instance drops its cached answer for this consumer and resource. */
  record GrantChange(String consumer, String resource, long changeSeq) {}

  /** Fails with a 409 problem naming the pending one when the consumer already has a pending application for the resource. */
  Future<Application> insertApplication(Application application, ApplicationEvent submitted, AuditOf<Application> audit);

  Future<Optional<Application>> application(String id);

  Future<List<ApplicationEvent>> history(String applicationId);

  /** Newest first, seq below {@code beforeSeq} when given. */
  Future<List<Application>> applications(ApplicationFilter filter, Optional<Long> beforeSeq, int limit);

  /** Decides a PENDING application and issues its grant; empty when it was no longer pending (someone else decided first). */
  Future<Optional<Application>> decide(String id, Decision decision, Optional<Grant> grant, ApplicationEvent event,
      AuditOf<Application> audit);

  /** Empty when it was no longer pending. */
  Future<Optional<Application>> withdraw(String id, Instant at, ApplicationEvent event, AuditOf<Application> audit);

  /** Pending applications not yet flagged overdue, submitted in [from, to). */
  Future<List<Application>> pendingSubmittedBetween(Instant from, Instant to);

  /** Moves the deadline of a pending, not yet flagged application; false when it was decided or flagged meanwhile. */
  Future<Boolean> moveDeadline(String id, java.time.OffsetDateTime from, java.time.OffsetDateTime to, ApplicationEvent event,
      AuditEntry audit);

  /** Marks undecided applications past their deadline as notified, each exactly once across all instances. */
  Future<List<Application>> claimOverdue(Instant now, int limit, AuditOf<List<Application>> audit);

  Future<Void> appendEvent(ApplicationEvent event);

  Future<Optional<Grant>> grant(String id);

  Future<List<Grant>> grants(GrantFilter filter, Optional<Long> beforeSeq, int limit);

  Future<List<Grant>> activeGrants(String consumer, String resource);

  /** ACTIVE → {@code status}; empty when it was not active. */
  Future<Optional<Grant>> endGrant(String id, Grant.Status status, String reason, String by, Instant at, AuditOf<Grant> audit);

  Future<List<Grant>> endGrantsOfResource(String resource, String reason, String by, Instant at, AuditOf<List<Grant>> audit);

  /** Drops the keys from every active grant of the resource; a grant left with no item ends. */
  Future<List<Grant>> removeItems(String resource, Set<String> keys, String reason, String by, Instant at, AuditOf<List<Grant>> audit);

  Future<List<Grant>> expireGrants(LocalDate today, Instant at, AuditOf<List<Grant>> audit);

  Future<List<GrantChange>> grantChangesAfter(long changeSeq);

  /** Fails with a 409 problem when the application already has an open dispute. */
  Future<Dispute> insertDispute(Dispute dispute, ApplicationEvent event, AuditOf<Dispute> audit);

  Future<Optional<Dispute>> dispute(String id);

  Future<List<Dispute>> disputes(DisputeFilter filter, Optional<Long> beforeSeq, int limit);

  /**
   * Resolves an OPEN dispute; with a grant, ends the application's active grants (superseded) and
   * issues it. Empty when the dispute was no longer open.
   */
  Future<Optional<Resolution>> resolve(String id, Dispute.Status outcome, String note, String by, Instant at, Optional<Grant> grant,
      ApplicationEvent event, AuditOf<Resolution> audit);
}
