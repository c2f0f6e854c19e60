package org.govshare.push.webhook;

import io.vertx.core.Future;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.govshare.audit.AuditOf;

/** Subscriptions and their delivery state; each change writes its audit records in its own transaction. */
public interface SubscriptionStore {
  record NewSubscription(String id, String department, String clientId, String resource, String callbackUrl, byte[] salt) {}

  /** What a delivery attempt left: the state to store and its audit record. */
  record Failure(int failures, OffsetDateTime firstFailureAt, String error, OffsetDateTime nextAttemptAt, boolean pause) {}

  /** The key secrets are derived from: {@code candidate} if none exists yet, else the existing one. */
  Future<byte[]> platformKey(byte[] candidate);

  /** Empty when the department already has {@code maxLive} live (ACTIVE or PAUSED) subscriptions. Starts after the resource's last change. */
  Future<Optional<Subscription>> create(NewSubscription s, int maxLive, AuditOf<Subscription> audit);

  /** Not DELETED. */
  Future<Optional<Subscription>> find(String id);

  /** Newest first; {@code department} null: all. {@code beforeOrd} null: from the newest. */
  Future<List<Row>> list(String department, Long beforeOrd, int limit);

  record Row(long ord, Subscription subscription) {}

  Future<Optional<Subscription>> delete(String id, AuditOf<Subscription> audit);

  /** PAUSED or ACTIVE → ACTIVE, failures cleared, due now. Empty when ENDED or DELETED. */
  Future<Optional<Subscription>> resume(String id, AuditOf<Subscription> audit);

  // --- delivery (ADR 0012): every write below holds only while {@code node} owns the subscription

  /**
   * Takes lapsed leases of ACTIVE subscriptions and renews this node's own once half their lease is
   * gone; returns those rows. Subscriptions this node holds with a fresher lease are not returned.
   */
  Future<List<Subscription>> claim(String node, long leaseMs, int limit);

  /** Renews one lease before a batch goes out; empty when this node no longer owns it or it is no longer ACTIVE. */
  Future<Optional<Subscription>> renew(String id, String node, long leaseMs);

  /**
   * The receiver acknowledged (or there was nothing it may see) up to {@code toSeq}: only if this node
   * still owns the subscription and nobody moved it since {@code fromSeq}.
   */
  Future<Boolean> acknowledge(String id, String node, long fromSeq, long toSeq, AuditOf<Subscription> audit);

  Future<Boolean> failed(String id, String node, long fromSeq, Failure failure, AuditOf<Subscription> audit);

  /** The final batch (ending with the {@code end} event) was acknowledged up to {@code toSeq}: ENDED with the reason. */
  Future<Boolean> end(String id, String node, long fromSeq, long toSeq, String reason, AuditOf<Subscription> audit);

  /** On shutdown: let other instances take over at once. */
  Future<Void> release(String node);
}
