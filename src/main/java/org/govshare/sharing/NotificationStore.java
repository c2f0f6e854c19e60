package org.govshare.sharing;

import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;

public interface NotificationStore {
  Future<Notification> insert(String department, String kind, String subject, String message);

  /** Newest first; ids below {@code beforeId} when given. */
  Future<List<Notification>> inbox(String department, boolean unreadOnly, Optional<String> kind, Optional<Long> beforeId, int limit);

  Future<Long> unreadCount(String department);

  /** Marks it read (keeping the first reader); empty when the department has no such notification. */
  /** The audit records commit with the change. */
  Future<Optional<Notification>> markRead(String department, long id, String clientId, org.govshare.audit.AuditOf<Notification> audit);

  Future<Long> markAllRead(String department, String clientId, org.govshare.audit.AuditOf<Long> audit);
}
