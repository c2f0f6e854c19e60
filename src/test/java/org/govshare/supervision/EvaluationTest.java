package org.govshare.supervision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Optional;
import org.govshare.platform.CannotStart;
import org.junit.jupiter.api.Test;

class EvaluationTest {
  static final EvaluationWeights SHIPPED = EvaluationWeights.load(Optional.empty());

  static Statistics stats(String dept, long unconditional, long conditional, long notShared, long due, long onTime, long provMade,
      long provServed, long received, long overdue, long objReceived, long objOverdue, long useMade, long useServed) {
    Statistics.WorkingDays none = new Statistics.WorkingDays(null, null);
    return new Statistics(dept, 2025, "2026-01-01T00:00:00+08:00",
        new Statistics.Catalogue(Map.of("UNCONDITIONAL", unconditional, "CONDITIONAL", conditional, "NOT_SHARED", notShared),
            unconditional + conditional + notShared, 0, 0),
        new Statistics.Provision(new Statistics.Freshness(due, onTime, List.of()), new Statistics.Calls(provMade, provServed, provMade - provServed, 0)),
        new Statistics.Use(new Statistics.Calls(useMade, useServed, useMade - useServed, 0), 0),
        new Statistics.Applications(received, 0, 0, 0, 0, overdue, none),
        new Statistics.Objections(0, objReceived, 0, 0, 0, objOverdue, none));
  }

  @Test
  void score_isTheWeightedMeanOfTheIndicatorsThatApply() {
    // every indicator applies: 20·75 + 20·50 + 15·100 + 20·90 + 10·0 + 15·40 = 6400 → 64
    Evaluation.Scored s = Evaluation.score(stats("A", 2, 1, 1, 10, 5, 4, 4, 10, 1, 2, 2, 5, 2), SHIPPED);
    assertThat(s.score()).isEqualTo(64.0);
    assertThat(s.parts().get(Indicator.DECISIONS).score()).isEqualTo(90.0);
  }

  @Test
  void score_leavesOutIndicatorsWithNothingDue_butCatalogueAndUseScoreZeroWithout() {
    // nothing due, no calls on its resources, no applications or objections: catalogue 0 (weight 20), use 0 (15)
    Evaluation.Scored empty = Evaluation.score(stats("B", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), SHIPPED);
    assertThat(empty.score()).isZero();
    assertThat(empty.parts().get(Indicator.FRESHNESS).score()).isNull();
    // only use applies besides catalogue: (20·100 + 15·50) / 35
    Evaluation.Scored some = Evaluation.score(stats("C", 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 2), SHIPPED);
    assertThat(some.score()).isEqualTo(Evaluation.round2(2750.0 / 35));
  }

  @Test
  void rank_givesTiesTheSameRank_andNextRankSkips() {
    List<Evaluation.Ranked> ranked = Evaluation.rank(List.of(
        new Evaluation.Scored("B", 50, Map.of(), null), new Evaluation.Scored("A", 50, Map.of(), null),
        new Evaluation.Scored("C", 70, Map.of(), null), new Evaluation.Scored("D", 10, Map.of(), null)));
    assertThat(ranked.stream().map(r -> r.scored().department() + r.rank()).toList()).containsExactly("C1", "A2", "B2", "D4");
  }

  @Test
  void weights_mustBeWholeNumbersAddingUpTo100_withNoKeyMissingOrUnknown() {
    assertThat(SHIPPED.weights().values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(100);
    Properties p = new Properties();
    for (Indicator i : Indicator.values()) {
      p.setProperty("weight." + i.key(), i == Indicator.USE ? "0" : "20");
    }
    assertThat(EvaluationWeights.parse(p, "t").of(Indicator.USE)).isZero();
    p.setProperty("weight.use", "1");
    assertThatThrownBy(() -> EvaluationWeights.parse(p, "t")).isInstanceOf(CannotStart.class).hasMessageContaining("add up to 100");
    p.setProperty("weight.use", "x");
    assertThatThrownBy(() -> EvaluationWeights.parse(p, "t")).hasMessageContaining("whole number");
    p.setProperty("weight.use", "0");
    p.setProperty("weight.speed", "0");
    assertThatThrownBy(() -> EvaluationWeights.parse(p, "t")).hasMessageContaining("unknown keys [weight.speed]");
    p.remove("weight.speed");
    p.remove("weight.catalogue");
    assertThatThrownBy(() -> EvaluationWeights.parse(p, "t")).hasMessageContaining("weight.catalogue is missing");
  }

  @Test
  void report_isOnTimeUntil5JanuaryEnds_inThePlatformsZone() {
    ZoneId shanghai = ZoneId.of("Asia/Shanghai");
    assertThat(Report.lateAt(2025, shanghai, Instant.parse("2026-01-05T15:59:59Z"))).isFalse(); // 23:59:59 in Shanghai
    assertThat(Report.lateAt(2025, shanghai, Instant.parse("2026-01-05T16:00:00Z"))).isTrue();  // 6 January 00:00
  }

  @Test
  void csvCells_thatASpreadsheetWouldRun_areNeutralised() {
    for (String formula : List.of("=1+1", "+1", "-1+A1", "@SUM(A1)", "\t=1", "\r=1")) {
      assertThat(ReportExport.cell(formula)).startsWith("'");
    }
    assertThat(ReportExport.cell("普通文字")).isEqualTo("普通文字");
    assertThat(ReportExport.cell(-3)).isEqualTo("-3");
    assertThat(ReportExport.escape("<a href=\"x\">'&'</a>")).isEqualTo("&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  }

  @Test
  void yearWindow_runsFromLocalMidnightToLocalMidnight_andStopsAtNowWhileRunning() {
    ZoneId shanghai = ZoneId.of("Asia/Shanghai");
    YearWindow past = YearWindow.of(2025, shanghai, Instant.parse("2026-03-01T00:00:00Z"));
    assertThat(past.start()).isEqualTo(Instant.parse("2024-12-31T16:00:00Z"));
    assertThat(past.end()).isEqualTo(Instant.parse("2025-12-31T16:00:00Z"));
    assertThat(past.complete()).isTrue();
    YearWindow running = YearWindow.of(2026, shanghai, Instant.parse("2026-03-01T00:00:00Z"));
    assertThat(running.asOf()).isEqualTo(Instant.parse("2026-03-01T00:00:00Z"));
    assertThat(running.complete()).isFalse();
  }
}
