package org.govshare.objection;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ObjectionTest {
  private static final OffsetDateTime FILED = OffsetDateTime.of(2026, 3, 2, 9, 0, 0, 0, ZoneOffset.UTC);
  private static final OffsetDateTime DUE = OffsetDateTime.of(2026, 3, 9, 15, 59, 59, 0, ZoneOffset.UTC);

  @Test
  void overdue_onlyOncePastDueUnanswered_andStaysAfterALateAnswer() {
    Objection open = objection(null);
    assertThat(open.overdue(DUE.toInstant())).isFalse();
    assertThat(open.overdue(DUE.toInstant().plusSeconds(1))).isTrue();

    Objection onTime = objection(answeredAt(DUE.minusHours(1)));
    assertThat(onTime.overdue(DUE.toInstant().plusSeconds(86_400 * 30))).isFalse();
    assertThat(onTime.toJson(Instant.now()).getJsonObject("answer").getBoolean("late")).isFalse();

    Objection late = objection(answeredAt(DUE.plusDays(2)));
    assertThat(late.overdue(DUE.toInstant().plusSeconds(86_400 * 30))).isTrue();
    assertThat(late.toJson(Instant.now()).getJsonObject("answer").getBoolean("late")).isTrue();
  }

  @Test
  void toJson_showsTheCorrectionOnlyForCorrected() {
    Objection.Answer corrected = new Objection.Answer(Objection.Status.CORRECTED, "已更正", "张叁", "c1", DUE, 2, 17L, 1);
    assertThat(objection(corrected).toJson(Instant.now()).getJsonObject("answer").getMap())
        .containsEntry("correctedValue", "张叁").containsEntry("recordVersion", 2).containsEntry("recordSeq", 17L);
    assertThat(objection(answeredAt(DUE)).toJson(Instant.now()).getJsonObject("answer").containsKey("correctedValue")).isFalse();
    assertThat(objection(null).toJson(Instant.now()).getValue("answer")).isNull();
  }

  private static Objection.Answer answeredAt(OffsetDateTime at) {
    return new Objection.Answer(Objection.Status.CONFIRMED, "经核对登记簿，记载无误", null, "c1", at, null, null, 3);
  }

  private static Objection objection(Objection.Answer answer) {
    return new Objection(1, "obj-1", "301001/000001", "P1", "name", "MZ", "GA", "张叁", "证据", null,
        answer == null ? Objection.Status.OPEN : answer.outcome(), "c0", FILED, DUE, null, answer);
  }
}
