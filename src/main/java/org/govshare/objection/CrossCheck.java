package org.govshare.objection;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.util.List;
import org.govshare.platform.Times;

/** One run comparing the copies of a data element with its authoritative source (notice rule 2, 多元校核). */
public record CrossCheck(long seq, String id, String element, String source, String sourceItem, String sourceProvider, Status status,
    String startedBy, OffsetDateTime startedAt, OffsetDateTime heartbeatAt, OffsetDateTime finishedAt, String failure, List<Copy> copies) {

  public enum Status { RUNNING, DONE, FAILED }

  /**
   * One copy and how far its comparison got. {@code scanned}: copy records read; {@code compared}:
   * of those, records the source holds too; {@code mismatches}: compared records whose values differ.
   */
  public record Copy(String resource, String item, String provider, int position, String status, String skipped, long scanned,
      long compared, long mismatches, JsonArray samples, String lastKey) {

    public JsonObject toJson() {
      JsonObject json = new JsonObject().put("resource", resource).put("item", item).put("provider", provider).put("status", status)
          .put("scanned", scanned).put("compared", compared).put("mismatches", mismatches).put("notInSource", scanned - compared)
          .put("samples", samples);
      if (skipped != null) {
        json.put("skipped", skipped);
      }
      return json;
    }
  }

  public CrossCheck withCopies(List<Copy> list) {
    return new CrossCheck(seq, id, element, source, sourceItem, sourceProvider, status, startedBy, startedAt, heartbeatAt, finishedAt,
        failure, List.copyOf(list));
  }

  public JsonObject toJson() {
    JsonArray list = new JsonArray();
    long compared = 0;
    long mismatches = 0;
    for (Copy c : copies) {
      list.add(c.toJson());
      compared += c.compared();
      mismatches += c.mismatches();
    }
    return new JsonObject().put("id", id).put("element", element).put("source", source).put("sourceItem", sourceItem)
        .put("provider", sourceProvider).put("status", status.name()).put("startedBy", startedBy).put("startedAt", Times.format(startedAt))
        .put("finishedAt", finishedAt == null ? null : Times.format(finishedAt)).put("failure", failure)
        .put("compared", compared).put("mismatches", mismatches).put("copies", list);
  }
}
