package org.govshare.sharing;

import org.govshare.notification.Notifier;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Files notifications for the workflow. A decision or grant change has been committed and audited
 * by the time it is told, so a failed notification is logged, never turned into a failed request.
 */
final class Inbox {
  private static final Logger LOG = LoggerFactory.getLogger(Inbox.class);

  private final Notifier notifier;

  Inbox(Notifier notifier) {
    this.notifier = notifier;
  }

  /** Each named department once, in order. */
  Future<Void> tell(NotificationKind kind, String subject, String message, String... departments) {
    List<Future<Void>> sent = new ArrayList<>();
    for (String department : new LinkedHashSet<>(List.of(departments))) {
      sent.add(notifier.notify(department, kind.name(), subject, message)
          .recover(e -> {
            LOG.warn("notification {} about {} to {} was not filed: {}", kind, subject, department, e.getMessage());
            return Future.succeededFuture();
          }));
    }
    return Future.join(sent).mapEmpty();
  }
}
