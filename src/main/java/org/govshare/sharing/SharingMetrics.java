package org.govshare.sharing;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;

/** The decision clock as the operator sees it on /metrics. */
public final class SharingMetrics {
  final Counter submitted;
  final Counter approved;
  final Counter rejected;
  final Counter overdue;
  final Counter decidedLate;
  final DistributionSummary decisionWorkingDays;

  public SharingMetrics(MeterRegistry registry) {
    submitted = Counter.builder("govshare_applications_submitted").description("applications submitted").register(registry);
    approved = Counter.builder("govshare_applications_decided").tag("decision", "APPROVE").description("applications decided")
        .register(registry);
    rejected = Counter.builder("govshare_applications_decided").tag("decision", "REJECT").description("applications decided")
        .register(registry);
    overdue = Counter.builder("govshare_applications_overdue")
        .description("applications flagged overdue: undecided when their decision deadline passed").register(registry);
    decidedLate = Counter.builder("govshare_applications_decided_late")
        .description("applications decided after their decision deadline").register(registry);
    decisionWorkingDays = DistributionSummary.builder("govshare_application_decision_working_days")
        .description("working days from submission to decision").baseUnit("working_days")
        .serviceLevelObjectives(1, 2, 3, 4, 5, 10, 20).register(registry);
  }
}
