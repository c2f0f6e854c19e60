package org.govshare.objection;

import org.govshare.platform.Ids;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.function.Supplier;
import org.govshare.access.AccessService;
import org.govshare.audit.AuditOf;
import org.govshare.audit.AuditWriter;
import org.govshare.kernel.AuditAction;
import org.govshare.kernel.AuditEntry;
import org.govshare.kernel.Caller;
import org.govshare.kernel.Outcome;
import org.govshare.kernel.Principal;
import org.govshare.kernel.Role;
import org.govshare.notification.Notifier;
import org.govshare.platform.Problem;
import org.govshare.platform.Times;
import org.govshare.platform.http.PageRequest;
import org.govshare.sharing.CalendarService;
import org.govshare.sharing.DecisionClock;
import org.govshare.sharing.SharingRules;

/**
 * Objections (notice rule 7): a consumer department that may read an item of a record holds it to
 * be wrong; the provider answers within the configured working days, correcting the record or
 * confirming the value with a reason. Service goes on meanwhile, with the item flagged.
 */
public final class ObjectionService {
  /** What a consumer files. {@code proposedValue}: null when it does not say what is right. */
  public record FileObjection(String resource, String key, String item, Object proposedValue, String evidence) {}

  /** The provider's answer. {@code correctedValue}: required for CORRECTED, refused for CONFIRMED. */
  public record AnswerObjection(Objection.Status outcome, String note, Object correctedValue, boolean correctedValueGiven) {}

  private final ObjectionStore store;
  private final AccessService access;
  private final CalendarService calendar;
  private final DecisionClock answerClock;
  private final OpenObjections open;
  private final Notifier notifier;
  private final AuditWriter audit;
  private final Clock clock;
  private final String bureau;

  public ObjectionService(ObjectionStore store, AccessService access, CalendarService calendar, DecisionClock answerClock,
      OpenObjections open, Notifier notifier, AuditWriter audit, Clock clock, String bureau) {
    this.store = store;
    this.access = access;
    this.calendar = calendar;
    this.answerClock = answerClock;
    this.open = open;
    this.notifier = notifier;
    this.audit = audit;
    this.clock = clock;
    this.bureau = bureau;
  }

  /**
   * Checks in the order a filer can act on: its role, what it may read of the resource (403), the
   * item (422 unknown, 403 unreadable), the texts and values (422), the record (404), an open
   * objection on the same item (409).
   */
  public Future<Objection> file(Caller caller, FileObjection command) {
    Principal p = caller.principal();
    if (!p.hasAny(Role.CONSUMER, Role.DEPT_ADMIN)) {
      return Future.failedFuture(Problem.forbidden("filing an objection needs the CONSUMER or DEPT_ADMIN role"));
    }
    String code = command.resource();
    return access.view(caller, code).compose(v -> {
      String item = command.item();
      if (v.schema().provider().equals(p.department())) {
        throw Problem.rule("resource", code + " is your own department's resource: correct it by uploading the record again");
      }
      if (!v.schema().items().containsKey(item)) {
        throw Problem.rule("item", "'" + item + "' is not an item of resource " + code);
      }
      if (!v.readable().contains(item)) {
        throw Problem.forbidden("department " + p.department() + " may not read item " + item + " of " + code
            + ", so it cannot object to it");
      }
      if (item.equals(v.schema().keyItem())) {
        throw Problem.rule("item", "'" + item + "' is the key item: it names the record; object to another item of it");
      }
      String evidence = SharingRules.reason("evidence", command.evidence());
      if (command.proposedValue() != null) {
        String problem = AccessService.problem(v, item, command.proposedValue(), Times.zone());
        if (problem != null) {
          throw Problem.rule("proposedValue", problem);
        }
      }
      return access.find(v, command.key()).compose(found -> {
        String key = found.orElseThrow(() -> Problem.notFound("record", command.key())).key();
        Instant now = clock.instant();
        OffsetDateTime due = answerClock.due(calendar.calendar(), now).toOffsetDateTime();
        Objection draft = new Objection(0, Ids.next("obj"), code, key, item, p.department(), v.schema().provider(),
            command.proposedValue(), evidence, null, Objection.Status.OPEN, caller.clientId(), PgObjectionStore.at(now), due, null, null);
        ObjectionEvent filed = new ObjectionEvent(draft.id(), PgObjectionStore.at(now), "FILED", caller.clientId(), p.department(),
            new JsonObject().put("proposedValue", command.proposedValue()));
        return store.insert(draft, filed, AuditOf.one(o -> AuditEntry.of(caller, AuditAction.OBJECTION_FILE, o.resource(), o.id(),
            Outcome.OK, new JsonObject().put("provider", o.provider()).put("consumer", o.consumer()).put("item", o.item())
                .put("key", o.key()))));
      });
    }).compose(o -> open.changed(o.resource())
        .compose(x -> tell(ObjectionKind.OBJECTION_FILED, o, o.consumer() + " objects to item " + o.item() + " of record " + o.key()
            + " of " + o.resource() + "; answer by " + Times.format(o.answerDue()), o.provider(), bureau))
        .map(o));
  }

  public Future<Objection> answer(Caller caller, String id, AnswerObjection command) {
    return existing(id).compose(o -> about(o.resource(), () -> {
      requireProvider(caller.principal(), o.provider(), "answer objection " + id);
      if (!o.open()) {
        return Future.failedFuture(alreadyAnswered(o));
      }
      boolean correct = command.outcome() == Objection.Status.CORRECTED;
      String note;
      if (correct) {
        note = command.note() == null ? "" : command.note().strip();
        if (note.isEmpty()) {
          throw Problem.rule("note", "say what was corrected");
        }
        if (!command.correctedValueGiven() || command.correctedValue() == null) {
          throw Problem.rule("correctedValue", "is required when the outcome is CORRECTED");
        }
      } else {
        if (command.correctedValueGiven()) {
          throw Problem.rule("correctedValue", "only a CORRECTED answer carries a corrected value");
        }
        note = SharingRules.reason("note", command.note());
      }
      Instant now = clock.instant();
      int workingDays = answerClock.workingDaysTaken(calendar.calendar(), o.filedAt().toInstant(), now);
      Future<Optional<AccessService.Fix>> prepared = correct
          ? access.fix(caller, o.resource(), o.key(), o.item(), command.correctedValue(), "correctedValue").map(Optional::of)
          : Future.succeededFuture(Optional.empty());
      return prepared.compose(fix -> {
        Objection.Answer answer = new Objection.Answer(command.outcome(), note, fix.map(AccessService.Fix::value).orElse(null),
            caller.clientId(), PgObjectionStore.at(now), null, null, workingDays);
        ObjectionEvent event = new ObjectionEvent(id, PgObjectionStore.at(now), command.outcome().name(), caller.clientId(),
            caller.department(), new JsonObject().put("note", note).put("correctedValue", answer.correctedValue())
                .put("workingDays", workingDays));
        return store.answer(id, answer, fix.map(f -> conn -> access.applyFix(conn, caller, f, new JsonObject().put("objection", id))),
            event, AuditOf.one(a -> AuditEntry.of(caller, AuditAction.OBJECTION_ANSWER, a.resource(), a.id(), Outcome.OK, new JsonObject()
                .put("provider", a.provider()).put("consumer", a.consumer()).put("item", a.item()).put("key", a.key())
                .put("outcome", a.status().name()).put("answerWorkingDays", workingDays))))
            // the record cache learns of the corrected record once its transaction committed, before the answer
            .compose(done -> fix.isEmpty() || done.isEmpty() ? Future.succeededFuture(done) : access.fixCommitted(fix.get()).map(done));
      }).compose(done -> done.isPresent() ? Future.succeededFuture(done.get())
          : existing(id).compose(current -> Future.failedFuture(alreadyAnswered(current))));
    })).compose(a -> open.changed(a.resource())
        .compose(x -> tell(ObjectionKind.OBJECTION_ANSWERED, a, a.provider() + " answered objection " + a.id() + " on item " + a.item()
            + " of record " + a.key() + " of " + a.resource() + ": " + a.status()
            + (a.status() == Objection.Status.CORRECTED ? " (now " + a.answer().correctedValue() + ")" : "") + " — " + a.answer().note(),
            a.consumer()))
        .map(a));
  }

  /** The reply form of an objection as of now. */
  public JsonObject toJson(Objection o) {
    return o.toJson(clock.instant());
  }

  public Future<JsonObject> get(Caller caller, String id) {
    return existing(id).compose(o -> about(o.resource(), () -> {
      Principal p = caller.principal();
      if (!seesAll(p) && !p.department().equals(o.consumer()) && !p.department().equals(o.provider())) {
        throw Problem.forbidden("objection " + id + " is visible to its consumer and provider departments and the bureau only");
      }
      return store.history(id).compose(events -> {
        JsonArray history = new JsonArray();
        events.forEach(e -> history.add(e.toJson()));
        JsonObject json = o.toJson(clock.instant()).put("history", history);
        return audit.append(AuditEntry.of(caller, AuditAction.OBJECTION_READ, o.resource(), o.id(), Outcome.OK, new JsonObject()
            .put("provider", o.provider()).put("consumer", o.consumer()))).map(seq -> json);
      });
    }));
  }

  public Future<JsonObject> list(Caller caller, Optional<String> role, Optional<String> department, Optional<Objection.Status> status,
      Optional<Boolean> overdue, Optional<String> resource, PageRequest page) {
    Principal p = caller.principal();
    Optional<String> dept;
    if (seesAll(p)) {
      dept = department.isPresent() ? department : role.isPresent() ? Optional.of(p.department()) : Optional.empty();
    } else {
      if (department.isPresent() && !department.get().equals(p.department())) {
        return Future.failedFuture(Problem.forbidden("a department lists only the objections it filed or received"));
      }
      dept = Optional.of(p.department());
    }
    Optional<Long> before = page.first() ? Optional.empty() : Optional.of(page.longKey(1, 0));
    Instant now = clock.instant();
    return store.objections(new ObjectionStore.Filter(dept, dept.isPresent() ? role : Optional.empty(), status, overdue, resource, now),
            before, page.fetchSize())
        .compose(rows -> {
          JsonObject reply = page.page(rows, o -> o.toJson(now), o -> new Object[] {o.seq()});
          JsonObject detail = new JsonObject().put("department", dept.orElse(null)).put("role", role.orElse(null))
              .put("returned", reply.getJsonArray("items").size());
          return audit.append(AuditEntry.of(caller, AuditAction.OBJECTION_READ, resource.orElse(null), null, Outcome.OK, detail))
              .map(seq -> reply);
        });
  }

  private Future<Void> tell(ObjectionKind kind, Objection o, String message, String... departments) {
    Future<Void> all = Future.succeededFuture();
    for (String d : departments) {
      all = all.compose(v -> notifier.notify(d, kind.name(), o.id(), message).recover(e -> Future.succeededFuture()));
    }
    return all;
  }

  private Future<Objection> existing(String id) {
    return store.objection(id).map(found -> found.orElseThrow(() -> Problem.notFound("objection", id)));
  }

  static boolean seesAll(Principal p) {
    return p.hasAny(Role.PLATFORM_ADMIN, Role.AUDITOR);
  }

  static void requireProvider(Principal p, String provider, String what) {
    if (!p.department().equals(provider) || !p.hasAny(Role.PROVIDER, Role.DEPT_ADMIN)) {
      throw Problem.forbidden(p.department().equals(provider) ? "only PROVIDER or DEPT_ADMIN clients of the provider department may " + what
          : "only the provider department (PROVIDER or DEPT_ADMIN) may " + what);
    }
  }

  /** A refusal about an objection is audited under its resource, which is not shown to who is refused. */
  static <T> Future<T> about(String resource, Supplier<Future<T>> work) {
    Future<T> f;
    try {
      f = work.get();
    } catch (RuntimeException e) {
      f = Future.failedFuture(e);
    }
    return f.recover(e -> Future.failedFuture(e instanceof Problem p ? p.auditedAs(resource) : e));
  }

  private static Problem alreadyAnswered(Objection o) {
    return Problem.conflict("objection " + o.id() + " is already " + o.status() + " (" + Times.format(o.answer().answeredAt())
        + "); an objection is answered once").with("currentStatus", o.status().name());
  }
}
