package org.govshare.notification;

import io.vertx.core.Future;

/**
 * Puts a notification into a department's inbox ({@code GET /api/v1/notifications}). {@code kind}
 * is a stable code such as APPLICATION_SUBMITTED or CATALOG_FILED; {@code subject} is the id the
 * notification is about (application id, resource code, ...).
 */
public interface Notifier {
  Future<Void> notify(String department, String kind, String subject, String message);
}
