package org.govshare.sharing;

import org.govshare.notification.Notifier;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Optional;
import java.util.regex.Pattern;
import org.govshare.kernel.AuditAction;
import org.govshare.kernel.AuditEntry;
import org.govshare.audit.AuditOf;
import org.govshare.kernel.Caller;
import org.govshare.kernel.Outcome;
import org.govshare.platform.Problem;
import org.govshare.platform.http.PageRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Each department's inbox. Every capability files into it through {@link Notifier}. */
public final class NotificationService implements Notifier {
  private static final Logger LOG = LoggerFactory.getLogger(NotificationService.class);
  private static final Pattern KIND = Pattern.compile("[A-Z][A-Z0-9_]{2,63}");

  private final NotificationStore store;

  public NotificationService(NotificationStore store) {
    this.store = store;
  }

  @Override
  public Future<Void> notify(String department, String kind, String subject, String message) {
    if (!KIND.matcher(kind).matches()) {
      return Future.failedFuture(new IllegalArgumentException("notification kind must be an upper-case code, got " + kind));
    }
    return store.insert(department, kind, subject, message)
        .onFailure(e -> LOG.warn("could not notify {} of {} {}: {}", department, kind, subject, e.getMessage()))
        .mapEmpty();
  }

  public Future<JsonObject> inbox(Caller caller, boolean unreadOnly, Optional<String> kind, PageRequest page) {
    String department = caller.principal().department();
    Optional<Long> before = page.first() ? Optional.empty() : Optional.of(page.longKey(1, 0));
    return store.inbox(department, unreadOnly, kind, before, page.fetchSize())
        .compose(rows -> store.unreadCount(department)
            .map(unread -> page.page(rows, Notification::toJson, n -> new Object[] {n.id()})
                .put("department", department).put("unread", unread)));
  }

  public Future<JsonObject> markRead(Caller caller, String rawId) {
    long id;
    try {
      id = Long.parseLong(rawId);
    } catch (NumberFormatException e) {
      throw Problem.notFound("notification", rawId);
    }
    String department = caller.principal().department();
    return store.markRead(department, id, caller.clientId(), AuditOf.one(n -> AuditEntry.of(caller, AuditAction.NOTIFICATION_READ,
            null, String.valueOf(id), Outcome.OK, new JsonObject().put("kind", n.kind()).put("about", n.subject()))))
        .map(found -> found.orElseThrow(() -> Problem.notFound("notification " + rawId + " is not in the inbox of " + department))
            .toJson());
  }

  public Future<JsonObject> markAllRead(Caller caller) {
    String department = caller.principal().department();
    return store.markAllRead(department, caller.clientId(), AuditOf.one(count -> AuditEntry.of(caller,
            AuditAction.NOTIFICATION_READ, null, "all", Outcome.OK, new JsonObject().put("marked", count))))
        .map(count -> new JsonObject().put("department", department).put("marked", count));
  }
}
