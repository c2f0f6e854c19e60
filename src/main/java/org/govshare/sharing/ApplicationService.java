package org.govshare.sharing;

import org.govshare.platform.Ids;
import org.govshare.notification.Notifier;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.govshare.kernel.AuditAction;
import org.govshare.kernel.AuditEntry;
import org.govshare.audit.AuditOf;
import org.govshare.kernel.Caller;
import org.govshare.kernel.Outcome;
import org.govshare.catalog.CatalogDirectory;
import org.govshare.catalog.SharedResource;
import org.govshare.kernel.Principal;
import org.govshare.platform.Problem;
import org.govshare.platform.http.PageRequest;
import org.govshare.sharing.Application.Status;
import org.govshare.sharing.SharingRules.Requested;
import org.govshare.sharing.SharingStore.ApplicationFilter;
import org.govshare.sharing.SharingStore.Decision;

/** Applications for conditional items and the provider's decision on them (notice rule 6). */
public final class ApplicationService {
  private static final int MIN_PURPOSE_LENGTH = 4;

  private final SharingStore store;
  private final CatalogDirectory catalog;
  private final CalendarService calendar;
  private final DecisionClock decisionClock;
  private final GrantCheck grantCheck;
  private final Inbox inbox;
  private final SharingMetrics metrics;
  private final Clock clock;

  public ApplicationService(SharingStore store, CatalogDirectory catalog, CalendarService calendar, DecisionClock decisionClock,
      GrantCheck grantCheck, Notifier notifier, SharingMetrics metrics, Clock clock) {
    this.store = store;
    this.catalog = catalog;
    this.calendar = calendar;
    this.decisionClock = decisionClock;
    this.grantCheck = grantCheck;
    this.inbox = new Inbox(notifier);
    this.metrics = metrics;
    this.clock = clock;
  }

  public Future<SubmittedApplication> submit(Caller caller, SubmitApplication command) {
    Principal p = caller.principal();
    if (!p.hasAny(org.govshare.kernel.Role.CONSUMER, org.govshare.kernel.Role.DEPT_ADMIN)) {
      throw Problem.forbidden("applying for a resource needs the CONSUMER or DEPT_ADMIN role");
    }
    String code = command.resource();
    List<String> items = command.items();
    String purpose = command.purpose() == null ? "" : command.purpose().strip();
    if (purpose.codePoints().filter(Character::isLetterOrDigit).count() < MIN_PURPOSE_LENGTH) {
      throw Problem.rule("purpose", "must say what the data is for, in at least " + MIN_PURPOSE_LENGTH + " letters or characters");
    }
    Usage usage = command.usage();
    Instant now = clock.instant();
    LocalDate validUntil = date("validUntil", command.validUntil());
    SharingRules.validUntil("validUntil", validUntil, decisionClock.today(now), null);
    return catalog.resource(code).compose(found -> {
      Requested requested = SharingRules.application(found, code, p.department(), items);
      SharedResource resource = found.orElseThrow();
      OffsetDateTime due = decisionClock.due(calendar.calendar(), now).toOffsetDateTime();
      calendar.calendar().missingYears(decisionClock.today(now), due.toLocalDate()).forEach(calendar::warnIfMissing);
      Application draft = new Application(0, Ids.next("app"), code, resource.version(), p.department(), resource.provider(),
          requested.conditional(), purpose, usage, validUntil, Status.PENDING, caller.clientId(), at(now), due, null, null, null, null,
          null, null, null, null, null);
      ApplicationEvent submitted = event(draft.id(), now, "SUBMITTED", caller, new JsonObject()
          .put("items", new JsonArray(requested.conditional())).put("usage", usage.name()));
      return store.insertApplication(draft, submitted, AuditOf.one(a -> AuditEntry.of(caller, AuditAction.APPLICATION_SUBMIT,
              a.resource(), a.id(), Outcome.OK, new JsonObject()
                  .put("provider", a.provider()).put("items", new JsonArray(a.items())).put("usage", usage.name())
                  .put("purpose", purpose).put("decisionDue", a.decisionDue().toString()))))
          .compose(a -> {
        metrics.submitted.increment();
        return inbox.tell(NotificationKind.APPLICATION_SUBMITTED, a.id(), "Department " + a.consumer() + " applies for "
                + a.items() + " of " + a.resource() + " (" + usage + "); decide by " + org.govshare.platform.Times.format(a.decisionDue()),
                a.provider())
            .map(v -> new SubmittedApplication(a, requested.readableDirectly(), clock.instant()));
      });
    });
  }

  public Future<DecidedApplication> decide(Caller caller, String id, DecideApplication command) {
    return existing(id).compose(a -> Parties.about(a.resource(), () -> decide(caller, a, command)));
  }

  private Future<DecidedApplication> decide(Caller caller, Application a, DecideApplication command) {
    String id = a.id();
    // the decision belongs to the provider department alone; the bureau resolves disputes instead
    Parties.requireProvider(caller.principal(), a.provider(), "decide application " + id);
    if (!a.pending()) {
      return Future.failedFuture(alreadyClosed(a));
    }
    Instant now = clock.instant();
    boolean approve = command.approve();
    String reason;
    List<String> items = null;
    String conditions = null;
    LocalDate validUntil = null;
    if (approve) {
      items = SharingRules.approvedItems(a, command.items());
      String c = command.conditions();
      conditions = c == null || c.isBlank() ? null : c.strip();
      LocalDate chosen = date("validUntil", command.validUntil());
      validUntil = chosen != null ? chosen : a.validUntil();
      SharingRules.validUntil("validUntil", validUntil, decisionClock.today(now), a.validUntil());
      String r = command.reason();
      reason = r == null || r.isBlank() ? null : r.strip();
    } else {
      reason = SharingRules.reason("reason", command.reason());
      Object[] given = {command.items(), command.conditions(), command.validUntil(), command.clearItems()};
      List<String> fields = List.of("items", "conditions", "validUntil", "clearItems");
      for (int i = 0; i < given.length; i++) {
        if (given[i] != null) {
          throw Problem.rule(fields.get(i), "only an approval grants items, clear items, conditions or an end date; a rejection gives"
              + " its reason");
        }
      }
    }
    List<String> granted = items;
    String grantConditions = conditions;
    LocalDate grantUntil = validUntil;
    // the catalogue's current version judges what is still an item and which items are sensitive
    Future<List<String>> stillShared = approve ? catalog.resource(a.resource()).map(found -> {
      SharedResource r = found.filter(SharedResource::published).orElseThrow(() -> Problem.conflict(
          a.resource() + " is no longer published in the catalogue; the application can only be rejected"));
      List<String> gone = granted.stream().filter(k -> r.item(k).isEmpty()).toList();
      if (!gone.isEmpty()) {
        throw Problem.rule("items", gone + " are no longer data items of " + a.resource());
      }
      return SharingRules.clearItems(granted, command.clearItems(), r);
    }) : Future.succeededFuture(null);
    return stillShared.compose(clear -> decide(caller, a, approve, reason, granted, grantConditions, grantUntil, clear, now));
  }

  private Future<DecidedApplication> decide(Caller caller, Application a, boolean approve, String reason, List<String> granted,
      String grantConditions, LocalDate grantUntil, List<String> clear, Instant now) {
    String id = a.id();
    int workingDays = decisionClock.workingDaysTaken(calendar.calendar(), a.submittedAt().toInstant(), now);
    Decision decision = new Decision(approve ? Status.APPROVED : Status.REJECTED, caller.clientId(), now, reason, granted,
        grantConditions, grantUntil, workingDays, clear);
    Optional<Grant> grant = approve
        ? Optional.of(new Grant(0, Ids.next("grt"), a.id(), null, a.resource(), a.consumer(), a.provider(), granted, clear, a.usage(),
            a.purpose(), grantConditions, grantUntil, Grant.Status.ACTIVE, at(now), null, null, null))
        : Optional.empty();
    JsonObject detail = new JsonObject().put("decision", approve ? "APPROVE" : "REJECT").put("reason", reason)
        .put("items", granted == null ? null : new JsonArray(granted))
        .put("clearItems", clear == null ? null : new JsonArray(clear)).put("conditions", grantConditions)
        .put("validUntil", grantUntil == null ? null : grantUntil.toString()).put("workingDays", workingDays)
        .put("late", now.isAfter(a.decisionDue().toInstant())).put("grant", grant.map(Grant::id).orElse(null));
    return store.decide(id, decision, grant, event(id, now, approve ? "APPROVED" : "REJECTED", caller, detail),
            decided -> decisionRecords(caller, decided, grant, detail))
        .compose(decided -> decided.isPresent() ? Future.succeededFuture(decided.get())
            : existing(id).compose(current -> Future.failedFuture(alreadyClosed(current))))
        .compose(d -> afterDecision(d, grant));
  }

  private Future<DecidedApplication> afterDecision(Application d, Optional<Grant> grant) {
    Future<Void> told = grant.map(g -> grantCheck.changed(g.consumer(), g.resource())).orElse(Future.succeededFuture());
    (d.status() == Status.APPROVED ? metrics.approved : metrics.rejected).increment();
    metrics.decisionWorkingDays.record(d.decisionWorkingDays());
    if (d.closedAt().isAfter(d.decisionDue())) {
      metrics.decidedLate.increment();
    }
    boolean approved = d.status() == Status.APPROVED;
    String message = approved
        ? d.provider() + " approved application " + d.id() + " for " + d.decisionItems() + " of " + d.resource()
            + (d.decisionConditions() == null ? "" : "; conditions: " + d.decisionConditions())
        : d.provider() + " rejected application " + d.id() + " for " + d.resource() + ": " + d.decisionReason();
    return told.compose(v -> inbox.tell(approved ? NotificationKind.APPLICATION_APPROVED : NotificationKind.APPLICATION_REJECTED, d.id(),
            message, d.consumer()))
        .map(v -> new DecidedApplication(d, grant, clock.instant()));
  }

  private static List<AuditEntry> decisionRecords(Caller caller, Application d, Optional<Grant> grant, JsonObject detail) {
    List<AuditEntry> entries = new ArrayList<>();
    entries.add(AuditEntry.of(caller, AuditAction.APPLICATION_DECIDE, d.resource(), d.id(), Outcome.OK,
        detail.copy().put("consumer", d.consumer())));
    grant.ifPresent(g -> entries.add(AuditEntry.of(caller, AuditAction.GRANT_ISSUE, g.resource(), g.id(), Outcome.OK, new JsonObject()
        .put("application", d.id()).put("consumer", g.consumer()).put("items", new JsonArray(g.items()))
        .put("clearItems", new JsonArray(g.clearItems()))
        .put("conditions", g.conditions()).put("validUntil", g.validUntil() == null ? null : g.validUntil().toString()))));
    return entries;
  }

  public Future<JsonObject> withdraw(Caller caller, String id) {
    return existing(id).compose(a -> Parties.about(a.resource(), () -> {
      Parties.requireConsumer(caller.principal(), a.consumer(), "withdraw application " + id);
      if (!a.pending()) {
        return Future.failedFuture(alreadyClosed(a));
      }
      Instant now = clock.instant();
      return store.withdraw(id, now, event(id, now, "WITHDRAWN", caller, new JsonObject()),
              AuditOf.one(w -> AuditEntry.of(caller, AuditAction.APPLICATION_WITHDRAW, w.resource(), w.id(), Outcome.OK,
                  new JsonObject().put("provider", w.provider()))))
          .compose(done -> done.isPresent() ? Future.succeededFuture(done.get())
              : existing(id).compose(current -> Future.failedFuture(alreadyClosed(current))))
          .compose(w -> inbox.tell(NotificationKind.APPLICATION_WITHDRAWN, w.id(),
                  w.consumer() + " withdrew application " + w.id() + " for " + w.resource(), w.provider())
              .map(v -> w.toJson(clock.instant())));
    }));
  }

  /**
   * After the bureau replaced a year's calendar: pending applications whose clock runs through
   * that year get the deadline the new calendar gives. Those already flagged overdue keep theirs.
   */
  public Future<Integer> reschedule(Caller caller, int year) {
    java.time.ZoneId zone = decisionClock.zone();
    // a clock of N working days started before this year can end in it; 60 calendar days cover the longest allowed
    Instant from = LocalDate.of(year, 1, 1).minusDays(60).atStartOfDay(zone).toInstant();
    Instant to = LocalDate.of(year + 1, 1, 1).atStartOfDay(zone).toInstant();
    return store.pendingSubmittedBetween(from, to).compose(pending -> {
      List<Future<Boolean>> moved = new ArrayList<>();
      Instant now = clock.instant();
      for (Application a : pending) {
        OffsetDateTime due = decisionClock.due(calendar.calendar(), a.submittedAt().toInstant()).toOffsetDateTime();
        if (!due.isEqual(a.decisionDue())) {
          JsonObject detail = new JsonObject().put("year", year).put("from", org.govshare.platform.Times.format(a.decisionDue()))
              .put("to", org.govshare.platform.Times.format(due));
          moved.add(store.moveDeadline(a.id(), a.decisionDue(), due, event(a.id(), now, "DEADLINE_MOVED", caller, detail),
              AuditEntry.of(caller, AuditAction.APPLICATION_DEADLINE_MOVED, a.resource(), a.id(), Outcome.OK, detail)));
        }
      }
      return Future.all(moved).map(all -> (int) moved.stream().filter(f -> f.result()).count());
    });
  }

  public Future<JsonObject> get(Caller caller, String id) {
    return existing(id).compose(a -> Parties.about(a.resource(), () -> {
      Parties.requireParty(caller.principal(), a.consumer(), a.provider(), "application " + id);
      return store.history(id).map(events -> {
        JsonArray history = new JsonArray();
        events.forEach(e -> history.add(e.toJson()));
        return a.toJson(clock.instant()).put("history", history);
      });
    }));
  }

  public Future<JsonObject> list(Caller caller, Optional<String> role, Optional<String> department, Optional<Status> status,
      Optional<Boolean> overdue, Optional<String> resource, PageRequest page) {
    Optional<String> dept = Parties.listDepartment(caller.principal(), department, role);
    Optional<Long> before = page.first() ? Optional.empty() : Optional.of(page.longKey(1, 0));
    Instant now = clock.instant();
    return store.applications(new ApplicationFilter(dept, dept.isPresent() ? role : Optional.empty(), status, overdue, resource, now),
            before, page.fetchSize())
        .map(rows -> page.page(rows, a -> a.toJson(now), a -> new Object[] {a.seq()}));
  }

  private Future<Application> existing(String id) {
    return store.application(id).map(found -> found.orElseThrow(() -> Problem.notFound("application", id)));
  }

  private static Problem alreadyClosed(Application a) {
    String when = org.govshare.platform.Times.format(a.closedAt());
    return Problem.conflict("application " + a.id() + " is already " + a.status() + " (" + when + "); an application is decided once")
        .with("currentStatus", a.status().name());
  }

  static ApplicationEvent event(String application, Instant at, String event, Caller caller, JsonObject detail) {
    return new ApplicationEvent(application, at(at), event, caller.clientId(), caller.department(), detail);
  }

  static OffsetDateTime at(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }

  static LocalDate date(String field, String raw) {
    if (raw == null) {
      return null;
    }
    try {
      return LocalDate.parse(raw);
    } catch (DateTimeParseException e) {
      throw Problem.invalid(field, "must be a date YYYY-MM-DD");
    }
  }

  static List<String> strings(JsonArray array) {
    List<String> out = new ArrayList<>();
    if (array != null) {
      array.forEach(v -> out.add(String.valueOf(v)));
    }
    return out;
  }
}
