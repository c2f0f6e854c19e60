package org.govshare.audit;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.Instant;
import java.time.format.DateTimeFormatter;

/** An audit record as stored: its place in the chain and its hashes. */
public record AuditRecord(
    long seq,
    Instant at,
    String requestId,
    String clientId,
    String department,
    String action,
    String resource,
    String subject,
    String outcome,
    String detail,
    String prevHash,
    String hash) {

  static AuditRecord from(Row r) {
    return new AuditRecord(r.getLong("seq"), r.getOffsetDateTime("at").toInstant(), r.getString("request_id"),
        r.getString("client_id"), r.getString("department"), r.getString("action"), r.getString("resource"),
        r.getString("subject"), r.getString("outcome"), r.getString("detail"), r.getString("prev_hash"), r.getString("hash"));
  }

  public String computedHash(String previous) {
    return AuditChain.hash(seq, at, requestId, clientId, department, action, resource, subject, outcome, detail, previous);
  }

  public JsonObject toJson(java.time.ZoneId zone) {
    Object parsedDetail;
    try {
      parsedDetail = new JsonObject(detail);
    } catch (DecodeException | ClassCastException e) {
      parsedDetail = detail;
    }
    return new JsonObject()
        .put("seq", seq)
        .put("at", DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(at.atZone(zone)))
        .put("requestId", requestId)
        .put("clientId", clientId)
        .put("department", department)
        .put("action", action)
        .put("resource", resource)
        .put("subject", subject)
        .put("outcome", outcome)
        .put("detail", parsedDetail)
        .put("prevHash", prevHash)
        .put("hash", hash);
  }
}
