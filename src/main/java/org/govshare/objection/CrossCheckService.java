package org.govshare.objection;

import org.govshare.platform.Ids;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.govshare.access.Masking;
import org.govshare.access.RecordSchema;
import org.govshare.audit.AuditOf;
import org.govshare.audit.AuditWriter;
import org.govshare.catalog.CatalogService;
import org.govshare.catalog.ElementSource;
import org.govshare.kernel.AuditAction;
import org.govshare.kernel.AuditEntry;
import org.govshare.kernel.Caller;
import org.govshare.kernel.Outcome;
import org.govshare.kernel.Principal;
import org.govshare.kernel.Role;
import org.govshare.notification.Notifier;
import org.govshare.platform.Problem;
import org.govshare.platform.Times;
import org.govshare.platform.config.GovshareConfig.ObjectionConfig;
import org.govshare.sharing.CalendarService;
import org.govshare.sharing.DecisionClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cross-checks (notice rule 2, 多元校核): the values of one data element in each published copy are
 * compared, record by record, with the authoritative source's values of the same key. Supported:
 * HOSTED copies whose key item has the same data element as the source's key item (both keyed by
 * resident ID, by credit code, …); other copies are listed as skipped with the reason. A run goes
 * chunk by chunk through the database in the background and writes its progress after each chunk.
 */
public final class CrossCheckService {
  private static final Logger LOG = LoggerFactory.getLogger(CrossCheckService.class);
  // a running check renews its heartbeat after every chunk; one this old lost its instance
  static final Duration STALE = Duration.ofMinutes(10);

  private final CrossCheckStore store;
  private final CatalogService catalog;
  private final CalendarService calendar;
  private final DecisionClock answerClock;
  private final OpenObjections open;
  private final Notifier notifier;
  private final AuditWriter audit;
  private final ObjectionConfig config;
  private final Clock clock;
  private final String bureau;

  /** What the runner needs of one copy beyond its row: how its keys are shown. */
  private record Plan(CrossCheck.Copy copy, String keyElement, boolean keySensitive) {}

  public CrossCheckService(CrossCheckStore store, CatalogService catalog, CalendarService calendar, DecisionClock answerClock,
      OpenObjections open, Notifier notifier, AuditWriter audit, ObjectionConfig config, Clock clock, String bureau) {
    this.store = store;
    this.catalog = catalog;
    this.calendar = calendar;
    this.answerClock = answerClock;
    this.open = open;
    this.notifier = notifier;
    this.audit = audit;
    this.config = config;
    this.clock = clock;
    this.bureau = bureau;
  }

  /** Starts a run for {@code element}: the provider of its authoritative source or the bureau's admin. */
  public Future<JsonObject> start(Caller caller, String element) {
    Principal p = caller.principal();
    return catalog.source(element).compose(found -> {
      ElementSource s = found.filter(x -> "PUBLISHED".equals(x.status()) || x.provider().equals(p.department()) || p.isPlatformAdmin())
          .orElseThrow(() -> Problem.notFound("data element '" + element + "' has no published authoritative source"));
      if (!mayStart(p, s.provider())) {
        throw Problem.forbidden("a cross-check of " + element + " is started by the provider of its authoritative source ("
            + s.provider() + ", PROVIDER or DEPT_ADMIN) or the bureau").auditedAs(s.code());
      }
      if (!"PUBLISHED".equals(s.status())) {
        throw Problem.conflict("the authoritative source " + s.code() + " of " + element + " is " + s.status()
            + "; a cross-check compares published data");
      }
      return catalog.current(s.code()).map(r -> RecordSchema.of(r.orElseThrow())).compose(source -> {
        if (source.proxied()) {
          throw Problem.rule("element", "the authoritative source " + s.code() + " is a PROXY resource: the platform holds none of its"
              + " records to compare");
        }
        return catalog.copies(element).compose(codes -> plans(element, source, codes)).compose(plans -> {
          String id = Ids.next("xck");
          Instant now = clock.instant();
          CrossCheck check = new CrossCheck(0, id, element, s.code(), s.itemKey(), s.provider(), CrossCheck.Status.RUNNING, caller.clientId(),
              PgObjectionStore.at(now), PgObjectionStore.at(now), null, null, plans.stream().map(Plan::copy).toList());
          return store.insert(check, AuditOf.one(c -> AuditEntry.of(caller, AuditAction.CROSSCHECK_RUN, c.source(), c.id(), Outcome.OK,
                  new JsonObject().put("element", element).put("provider", c.sourceProvider()).put("status", "RUNNING")
                      .put("copies", new JsonArray(c.copies().stream().map(CrossCheck.Copy::resource).toList())))))
              .map(saved -> {
                run(saved, plans);
                return saved.toJson();
              });
        });
      });
    });
  }

  public Future<JsonObject> get(Caller caller, String id) {
    return existing(id).compose(c -> {
      if (!mayRead(caller.principal(), c.sourceProvider())) {
        return Future.failedFuture(Problem.forbidden("cross-check " + id + " is read by the provider of the source, the bureau and"
            + " its auditors").auditedAs(c.source()));
      }
      return audit.append(AuditEntry.of(caller, AuditAction.CROSSCHECK_READ, c.source(), c.id(), Outcome.OK, new JsonObject()
          .put("element", c.element()).put("status", c.status().name()))).map(seq -> c.toJson());
    });
  }

  /**
   * The source's provider files objections from a finished run's mismatches, against each copy's
   * provider (or one {@code resource}), with the source's value as the proposed value. It needs no
   * grant on the copies: it is the one authoritative source of the element, and an objection shows
   * it nothing the run did not.
   */
  public Future<JsonObject> fileObjections(Caller caller, String id, Optional<String> resource) {
    return existing(id).compose(c -> {
      Principal p = caller.principal();
      if (!p.department().equals(c.sourceProvider()) || !p.hasAny(Role.PROVIDER, Role.DEPT_ADMIN)) {
        return Future.failedFuture(Problem.forbidden("objections from cross-check " + id + " are filed by the provider of its source ("
            + c.sourceProvider() + ", PROVIDER or DEPT_ADMIN)").auditedAs(c.source()));
      }
      if (c.status() != CrossCheck.Status.DONE) {
        return Future.failedFuture(Problem.conflict("cross-check " + id + " is " + c.status() + "; objections are filed from a finished run")
            .with("currentStatus", c.status().name()));
      }
      List<CrossCheck.Copy> copies = c.copies().stream().filter(x -> "DONE".equals(x.status()) && x.mismatches() > 0)
          .filter(x -> resource.map(x.resource()::equals).orElse(true)).toList();
      if (resource.isPresent() && c.copies().stream().noneMatch(x -> x.resource().equals(resource.get()))) {
        return Future.failedFuture(Problem.notFound(resource.get() + " is not a copy compared by cross-check " + id));
      }
      Instant now = clock.instant();
      OffsetDateTime due = answerClock.due(calendar.calendar(), now).toOffsetDateTime();
      return fileEach(caller, c, copies, 0, now, due, new ArrayList<>()).compose(filed -> {
        Set<String> resources = new LinkedHashSet<>();
        Set<String> providers = new LinkedHashSet<>();
        JsonArray list = new JsonArray();
        for (Objection o : filed) {
          resources.add(o.resource());
          providers.add(o.provider());
          list.add(new JsonObject().put("id", o.id()).put("resource", o.resource()).put("key", o.key()).put("item", o.item()));
        }
        Future<Void> done = Future.succeededFuture();
        for (String r : resources) {
          done = done.compose(v -> open.changed(r));
        }
        for (String d : providers) {
          long n = filed.stream().filter(o -> o.provider().equals(d)).count();
          done = done.compose(v -> tell(d, ObjectionKind.CROSSCHECK_OBJECTIONS_FILED, id, c.sourceProvider() + " filed " + n
              + " objections from cross-check " + id + " of " + c.element() + "; answer each by " + Times.format(due)));
        }
        if (!filed.isEmpty()) {
          done = done.compose(v -> tell(bureau, ObjectionKind.CROSSCHECK_OBJECTIONS_FILED, id, c.sourceProvider() + " filed "
              + filed.size() + " objections from cross-check " + id + " of " + c.element()));
        }
        return done.map(v -> new JsonObject().put("crosscheck", id).put("filed", filed.size())
            .put("limitReached", filed.size() >= config.crosscheckObjectionsPerCall()).put("objections", list));
      });
    });
  }

  private Future<List<Objection>> fileEach(Caller caller, CrossCheck c, List<CrossCheck.Copy> copies, int i, Instant now,
      OffsetDateTime due, List<Objection> sofar) {
    int left = config.crosscheckObjectionsPerCall() - sofar.size();
    if (i >= copies.size() || left <= 0) {
      return Future.succeededFuture(sofar);
    }
    CrossCheck.Copy copy = copies.get(i);
    String evidence = "交叉核验 " + c.id() + "：数据元 " + c.element() + " 的权威来源 " + c.source() + "（数据项 " + c.sourceItem()
        + "）记载的值与本资源不一致 / cross-check " + c.id() + ": the authoritative source of " + c.element()
        + " holds the proposed value";
    CrossCheckStore.Filing filing = new CrossCheckStore.Filing(c.id(), copy.resource(), copy.item(), c.sourceProvider(), copy.provider(),
        evidence, caller.clientId(), PgObjectionStore.at(now), due, left);
    return store.fileFromMismatches(c.source(), c.sourceItem(), filing, AuditOf.each(o -> AuditEntry.of(caller,
            AuditAction.OBJECTION_FILE, o.resource(), o.id(), Outcome.OK, new JsonObject().put("provider", o.provider())
                .put("consumer", o.consumer()).put("item", o.item()).put("key", o.key()))))
        .compose(filed -> {
          sofar.addAll(filed);
          return fileEach(caller, c, copies, i + 1, now, due, sofar);
        });
  }

  /** Fails runs whose instance stopped; called by the clock job. */
  public Future<Integer> failAbandoned() {
    Instant now = clock.instant();
    Caller system = Caller.system("crosscheck-clock");
    return store.failStale(now.minus(STALE), now, AuditOf.each(c -> AuditEntry.of(system, AuditAction.CROSSCHECK_RUN, c.source(), c.id(),
        Outcome.FAILED, new JsonObject().put("element", c.element()).put("provider", c.sourceProvider()).put("status", "FAILED")
            .put("failure", c.failure())))).map(List::size);
  }

  private Future<List<Plan>> plans(String element, RecordSchema source, List<String> codes) {
    List<Future<Optional<Plan>>> all = new ArrayList<>();
    String sourceKey = source.keyItemRule() == null ? null : source.keyItemRule().dataElement();
    for (int i = 0; i < codes.size(); i++) {
      String code = codes.get(i);
      if (code.equals(source.code())) {
        continue;
      }
      all.add(catalog.current(code).map(found -> found.map(RecordSchema::of).filter(RecordSchema::published).flatMap(copy -> {
        RecordSchema.Item item = copy.items().values().stream().filter(it -> element.equals(it.dataElement())).findFirst().orElse(null);
        if (item == null) {
          return Optional.empty();
        }
        RecordSchema.Item key = copy.keyItemRule();
        String keyElement = key == null ? null : key.dataElement();
        String skipped = copy.proxied() ? "a PROXY resource: the platform holds none of its records"
            : sourceKey == null ? "the source's key item names no data element, so records cannot be paired"
            : !sourceKey.equals(keyElement) ? "keyed by " + (keyElement == null ? "an item without data element" : keyElement)
                + ", the source by " + sourceKey + ": records cannot be paired"
            : null;
        return Optional.of(new Plan(new CrossCheck.Copy(copy.code(), item.key(), copy.provider(), 0, skipped == null ? "PENDING" : "SKIPPED",
            skipped, 0, 0, 0, new JsonArray(), null), keyElement, key != null && key.sensitive()));
      })));
    }
    return Future.all(all).map(done -> {
      List<Plan> plans = new ArrayList<>();
      for (Future<Optional<Plan>> f : all) {
        f.result().ifPresent(p -> plans.add(new Plan(new CrossCheck.Copy(p.copy().resource(), p.copy().item(), p.copy().provider(),
            plans.size(), p.copy().status(), p.copy().skipped(), 0, 0, 0, new JsonArray(), null), p.keyElement(), p.keySensitive())));
      }
      return plans;
    });
  }

  /** In the background: copy after copy, chunk after chunk; never fails the caller. */
  private void run(CrossCheck check, List<Plan> plans) {
    runFrom(check, plans, 0).compose(v -> finish(check, CrossCheck.Status.DONE, null))
        .recover(e -> {
          LOG.warn("cross-check {} of {} failed: {}", check.id(), check.element(), e.toString());
          return finish(check, CrossCheck.Status.FAILED, "the comparison failed: " + e.getMessage());
        })
        .onFailure(e -> LOG.warn("cross-check {} could not record its end: {}", check.id(), e.toString()));
  }

  private Future<Void> runFrom(CrossCheck check, List<Plan> plans, int i) {
    if (i >= plans.size()) {
      return Future.succeededFuture();
    }
    Plan plan = plans.get(i);
    if (!"PENDING".equals(plan.copy().status())) {
      return runFrom(check, plans, i + 1);
    }
    return store.copyStatus(check.id(), plan.copy().resource(), "RUNNING")
        .compose(v -> chunk(check, plan, "", 0))
        .compose(v -> runFrom(check, plans, i + 1));
  }

  private Future<Void> chunk(CrossCheck check, Plan plan, String afterKey, int kept) {
    int rows = config.crosscheckChunkRows();
    int wanted = Math.max(0, config.crosscheckSamples() - kept);
    return store.compare(check.source(), check.sourceItem(), plan.copy().resource(), plan.copy().item(), afterKey, rows, Math.max(wanted, 0))
        .compose(chunk -> {
          JsonArray samples = new JsonArray();
          for (int j = 0; j < chunk.samples().size() && j < wanted; j++) {
            JsonObject s = chunk.samples().getJsonObject(j);
            Object key = plan.keySensitive() ? Masking.mask(plan.keyElement(), s.getString("key")) : s.getString("key");
            samples.add(new JsonObject().put("key", key).put("item", plan.copy().item()).put("sourceValue", s.getValue("sourceValue"))
                .put("copyValue", s.getValue("copyValue")));
          }
          boolean done = chunk.scanned() < rows;
          return store.progress(check.id(), plan.copy().resource(), chunk, samples, done)
              .compose(v -> done ? Future.succeededFuture() : chunk(check, plan, chunk.lastKey(), kept + samples.size()));
        });
  }

  private Future<Void> finish(CrossCheck check, CrossCheck.Status status, String failure) {
    Caller system = Caller.system("crosscheck-" + check.id());
    return store.crosscheck(check.id()).compose(found -> {
      JsonObject totals = found.map(CrossCheck::toJson).orElse(new JsonObject());
      return store.finish(check.id(), status, failure, clock.instant(), AuditOf.one(c -> AuditEntry.of(system, AuditAction.CROSSCHECK_RUN,
          c.source(), c.id(), status == CrossCheck.Status.DONE ? Outcome.OK : Outcome.FAILED, new JsonObject().put("element", c.element())
              .put("provider", c.sourceProvider()).put("status", status.name()).put("compared", totals.getLong("compared"))
              .put("mismatches", totals.getLong("mismatches")).put("failure", failure))));
    }).compose(ended -> ended.isEmpty() ? Future.<Void>succeededFuture() : tell(check.sourceProvider(), ObjectionKind.CROSSCHECK_DONE,
        check.id(), "cross-check " + check.id() + " of " + check.element() + " is " + status));
  }

  private Future<Void> tell(String department, ObjectionKind kind, String subject, String message) {
    return notifier.notify(department, kind.name(), subject, message).recover(e -> Future.succeededFuture());
  }

  private Future<CrossCheck> existing(String id) {
    return store.crosscheck(id).map(found -> found.orElseThrow(() -> Problem.notFound("cross-check", id)));
  }

  private static boolean mayStart(Principal p, String sourceProvider) {
    return p.isPlatformAdmin() || (p.department().equals(sourceProvider) && p.hasAny(Role.PROVIDER, Role.DEPT_ADMIN));
  }

  private static boolean mayRead(Principal p, String sourceProvider) {
    return mayStart(p, sourceProvider) || p.has(Role.AUDITOR);
  }
}
