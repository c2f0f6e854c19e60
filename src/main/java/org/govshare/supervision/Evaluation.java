package org.govshare.supervision;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The yearly evaluation's formula (ADR 0014). Each indicator is a ratio scaled to 0–100, or does
 * not apply (nothing was due); the score is the weighted mean of the indicators that apply:
 * {@code score = Σ w·s / Σ w} over applying indicators, rounded to two decimals. Ranks: 1 + the
 * number of departments with a higher score (ties share a rank).
 */
public final class Evaluation {
  public static final String FORMULA = "score = sum(weight_i * indicator_i) / sum(weight_i) over the indicators that apply; "
      + "each indicator = 100 * numerator / denominator (see indicators[].numerator, .denominator); "
      + "an indicator whose denominator is 0 does not apply, except catalogue and use, which score 0 then; "
      + "rank = 1 + number of departments with a higher score";

  /** One indicator: its ratio's parts and its 0–100 score, or null when it does not apply. */
  public record Part(Indicator indicator, int weight, long numerator, long denominator, Double score) {
    JsonObject toJson() {
      return new JsonObject().put("weight", weight).put("numerator", numerator).put("denominator", denominator)
          .put("score", score == null ? null : round2(score)).put("applies", score != null);
    }
  }

  public record Scored(String department, double score, Map<Indicator, Part> parts, Statistics statistics) {
    JsonObject indicatorScores() {
      JsonObject o = new JsonObject();
      parts.forEach((i, p) -> o.put(i.key(), p.score() == null ? null : round2(p.score())));
      return o;
    }

    JsonObject breakdown() {
      JsonObject o = new JsonObject();
      parts.forEach((i, p) -> o.put(i.key(), p.toJson()));
      return o;
    }
  }

  public record Ranked(Scored scored, int rank) {}

  private Evaluation() {}

  public static Scored score(Statistics s, EvaluationWeights w) {
    Map<Indicator, Part> parts = new EnumMap<>(Indicator.class);
    Statistics.Catalogue c = s.catalogue();
    long shared = c.resourcesByShareType().getOrDefault("UNCONDITIONAL", 0L) + c.resourcesByShareType().getOrDefault("CONDITIONAL", 0L);
    parts.put(Indicator.CATALOGUE, part(Indicator.CATALOGUE, w, shared, c.resources(), true));
    Statistics.Freshness f = s.provision().freshness();
    parts.put(Indicator.FRESHNESS, part(Indicator.FRESHNESS, w, f.onTime(), f.duePeriods(), false));
    Statistics.Calls provided = s.provision().calls();
    parts.put(Indicator.PROVISION, part(Indicator.PROVISION, w, provided.served(), provided.made(), false));
    Statistics.Applications a = s.applications();
    parts.put(Indicator.DECISIONS, part(Indicator.DECISIONS, w, a.received() - a.overdue(), a.received(), false));
    Statistics.Objections o = s.objections();
    parts.put(Indicator.OBJECTIONS, part(Indicator.OBJECTIONS, w, Math.max(0, o.received() - o.overdue()), o.received(), false));
    Statistics.Calls used = s.use().calls();
    parts.put(Indicator.USE, part(Indicator.USE, w, used.served(), used.made(), true));
    double weighted = 0;
    int weights = 0;
    for (Part p : parts.values()) {
      if (p.score() != null) {
        weighted += p.weight() * p.score();
        weights += p.weight();
      }
    }
    return new Scored(s.department(), weights == 0 ? 0 : round2(weighted / weights), parts, s);
  }

  private static Part part(Indicator i, EvaluationWeights w, long numerator, long denominator, boolean zeroWhenNone) {
    Double score = null;
    if (denominator > 0) {
      score = 100.0 * numerator / denominator;
    } else if (zeroWhenNone) {
      score = 0.0;
    }
    return new Part(i, w.of(i), numerator, denominator, score);
  }

  public static List<Ranked> rank(List<Scored> scored) {
    List<Scored> sorted = new ArrayList<>(scored);
    sorted.sort(Comparator.comparingDouble(Scored::score).reversed().thenComparing(Scored::department));
    List<Ranked> out = new ArrayList<>();
    for (int i = 0; i < sorted.size(); i++) {
      int rank = i > 0 && sorted.get(i).score() == sorted.get(i - 1).score() ? out.get(i - 1).rank() : i + 1;
      out.add(new Ranked(sorted.get(i), rank));
    }
    return out;
  }

  public static JsonObject method(EvaluationWeights w) {
    JsonObject weights = new JsonObject();
    w.weights().forEach((i, v) -> weights.put(i.key(), v));
    return new JsonObject().put("formula", FORMULA).put("weights", weights).put("weightsSource", w.source())
        .put("standard", "GB/T 38664.4 (政务数据开放共享 第4部分: 共享评价): indicator groups mapped in docs/supervision.md and ADR 0014")
        .put("indicators", new JsonArray(List.of(
            "catalogue = shared (UNCONDITIONAL + CONDITIONAL) resources / resources in force",
            "freshness = update periods on time / update periods due",
            "provision = other departments' data calls on its resources served / made",
            "decisions = (applications received - overdue) / received",
            "objections = (objections received - flagged overdue) / received",
            "use = its data calls on other departments' resources served / made")));
  }

  static double round2(double v) {
    return Math.round(v * 100) / 100.0;
  }
}
