package org.govshare.sharing;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.govshare.sharing.SharingWorld.Party;
import org.govshare.testing.Http;
import org.junit.jupiter.api.Test;

/** The decision clock running out: flagged once, notified once to the provider and the bureau, still decidable, counted. */
class OverdueIT {
  private final SharingWorld world = new SharingWorld();
  private final Http http = world.http;

  @Test
  void overdueApplication_isFlaggedAndNotifiedOnce_andCanStillBeDecided() {
    Party provider = world.party("ZJW", "PROVIDER");
    Party consumer = world.party("XZSP", "CONSUMER");
    Party bureau = new Party("BUREAU", "admin", world.admin());
    String code = world.resource(provider, "CONDITIONAL", "permit=CONDITIONAL");
    String late = world.apply(consumer, code, "permit").getString("id");
    String onTime = world.apply(world.party("FGJ", "CONSUMER"), code, "permit").getString("id");
    world.age(late, 30);

    // several instances' jobs at once, then again: each application is claimed by one of them only
    ClockJob job = world.server.platform().sharingClock();
    SharingWorld.await(Future.all(job.runOnce(), job.runOnce(), job.runOnce()));
    SharingWorld.await(job.runOnce());

    JsonObject flagged = http.get("/api/v1/applications/" + late).as(provider.token()).expect(200).json();
    assertThat(flagged.getBoolean("overdue")).isTrue();
    assertThat(flagged.getString("status")).isEqualTo("PENDING");
    assertThat(flagged.getJsonArray("history").stream().filter(e -> "OVERDUE".equals(((JsonObject) e).getString("event"))).count())
        .isEqualTo(1);
    assertThat(http.get("/api/v1/applications/" + onTime).as(provider.token()).expect(200).json().getBoolean("overdue")).isFalse();
    assertThat(http.get("/api/v1/applications?role=provider&overdue=true").as(provider.token()).expect(200).items().stream()
        .map(a -> ((JsonObject) a).getString("id")).toList()).containsExactly(late);
    assertThat(http.get("/api/v1/applications?role=provider&overdue=false").as(provider.token()).expect(200).items().stream()
        .map(a -> ((JsonObject) a).getString("id")).toList()).containsExactly(onTime);

    assertThat(world.kinds(provider, late)).containsExactly("APPLICATION_OVERDUE", "APPLICATION_SUBMITTED");
    assertThat(world.kinds(bureau, late)).containsExactly("APPLICATION_OVERDUE");
    assertThat(world.kinds(consumer, late)).isEmpty();
    assertThat(world.kinds(provider, onTime)).containsExactly("APPLICATION_SUBMITTED");

    // still decidable, recorded as late
    JsonObject decided = world.approve(provider, late);
    assertThat(decided.getBoolean("overdue")).isTrue();
    assertThat(decided.getJsonObject("decision").getBoolean("late")).isTrue();
    assertThat(decided.getJsonObject("decision").getInteger("workingDays")).isGreaterThan(5);
    SharingWorld.await(job.runOnce());
    assertThat(world.kinds(bureau, late)).containsExactly("APPLICATION_OVERDUE");

    List<String> audit = world.auditActions(world.bureauAuditor(), code);
    assertThat(audit.stream().filter("APPLICATION_OVERDUE:OK"::equals).count()).isEqualTo(1);
    assertThat(audit).containsSubsequence("APPLICATION_SUBMIT:OK", "APPLICATION_OVERDUE:OK", "APPLICATION_DECIDE:OK");

    String metrics = http.get("/metrics").expect(200).body();
    assertThat(metrics).contains("govshare_applications_overdue_total", "govshare_applications_decided_late_total",
        "govshare_application_decision_working_days_count", "govshare_applications_decided_total{decision=\"APPROVE\"");
    assertThat(counter(metrics, "govshare_applications_overdue_total")).isGreaterThanOrEqualTo(1);
    assertThat(counter(metrics, "govshare_applications_decided_late_total")).isGreaterThanOrEqualTo(1);
  }

  private static double counter(String metrics, String name) {
    return metrics.lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{")).mapToDouble(l ->
        Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
  }
}
