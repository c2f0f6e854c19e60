package org.govshare.objection;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.OffsetDateTime;
import org.govshare.platform.Times;

/**
 * A consumer's objection to one item of one record (notice rule 7). {@code key} is the record's
 * canonical key; {@code proposedValue} and {@code correctedValue} are JSON values (text, number,
 * boolean) or null.
 */
public record Objection(
    long seq,
    String id,
    String resource,
    String key,
    String item,
    String consumer,
    String provider,
    Object proposedValue,
    String evidence,
    String crosscheck,
    Status status,
    String filedBy,
    OffsetDateTime filedAt,
    OffsetDateTime answerDue,
    OffsetDateTime overdueNotifiedAt,
    Answer answer) {

  public enum Status { OPEN, CORRECTED, CONFIRMED }

  /** The provider's answer: the outcome is the objection's status. {@code recordVersion}/{@code recordSeq}: what a correction wrote. */
  public record Answer(Status outcome, String note, Object correctedValue, String answeredBy, OffsetDateTime answeredAt,
      Integer recordVersion, Long recordSeq, int workingDays) {}

  public boolean open() {
    return status == Status.OPEN;
  }

  /** True once answerDue passed unanswered; stays true after a late answer. */
  public boolean overdue(Instant now) {
    OffsetDateTime end = answer != null ? answer.answeredAt() : now.atOffset(answerDue.getOffset());
    return end.isAfter(answerDue);
  }

  public JsonObject toJson(Instant now) {
    JsonObject json = new JsonObject().put("id", id).put("resource", resource).put("key", key).put("item", item)
        .put("consumer", consumer).put("provider", provider).put("proposedValue", proposedValue).put("evidence", evidence)
        .put("status", status.name()).put("filedBy", filedBy).put("filedAt", Times.format(filedAt))
        .put("answerDue", Times.format(answerDue)).put("overdue", overdue(now));
    if (crosscheck != null) {
      json.put("crosscheck", crosscheck);
    }
    if (answer == null) {
      return json.putNull("answer");
    }
    JsonObject a = new JsonObject().put("outcome", answer.outcome().name()).put("note", answer.note())
        .put("answeredBy", answer.answeredBy()).put("answeredAt", Times.format(answer.answeredAt()))
        .put("workingDays", answer.workingDays()).put("late", answer.answeredAt().isAfter(answerDue));
    if (answer.outcome() == Status.CORRECTED) {
      a.put("correctedValue", answer.correctedValue()).put("recordVersion", answer.recordVersion()).put("recordSeq", answer.recordSeq());
    }
    return json.put("answer", a);
  }
}
