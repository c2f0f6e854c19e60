package org.govshare.push;

import org.govshare.kernel.AuditAction;
import org.govshare.platform.Problem;
import org.govshare.platform.http.Api;
import org.govshare.platform.http.ApiRequest;
import org.govshare.platform.http.Reply;
import org.govshare.platform.http.Routes;

/** The event stream of a resource's changes. */
public final class PushRoutes implements Routes {
  private final ChangeStreams streams;

  public PushRoutes(ChangeStreams streams) {
    this.streams = streams;
  }

  @Override
  public void mount(Api api) {
    // the reply is the stream itself: when its future completes the response has been ended
    api.on("streamChanges", AuditAction.STREAM_OPEN, "code", req -> streams.open(req.caller(), req.path("code"), cursor(req),
        req.context().response()).map(closed -> Reply.noContent()));
  }

  /** {@code Last-Event-ID} (what a reconnecting browser sends) wins over {@code after}; none: start at the newest change. */
  private static Long cursor(ApiRequest req) {
    String last = req.header("Last-Event-ID");
    if (last != null && !last.isBlank()) {
      try {
        return Long.parseLong(last.trim());
      } catch (NumberFormatException e) {
        throw Problem.invalid("Last-Event-ID", "must be the id of an event: a sequence number");
      }
    }
    return req.query("after").map(a -> {
      try {
        return Long.parseLong(a);
      } catch (NumberFormatException e) {
        throw Problem.invalid("after", "must be a sequence number");
      }
    }).orElse(null);
  }
}
