package org.govshare.audit;

import org.govshare.kernel.AuditEntry;
import io.vertx.core.json.JsonArray;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;

/**
 * The hash chain: hash(n) = SHA-256 of record n's fields and hash(n-1), over a canonical JSON array
 * so that no field can be shifted into another. Timestamps are cut to microseconds, PostgreSQL's
 * precision, so a record hashes the same before it is written and after it is read back.
 */
public final class AuditChain {
  public static final String GENESIS = "0".repeat(64);

  private AuditChain() {}

  public static Instant now() {
    return AuditEntry.now();
  }

  public static String hash(long seq, Instant at, String requestId, String clientId, String department, String action,
      String resource, String subject, String outcome, String detail, String prevHash) {
    String canonical = new JsonArray()
        .add(seq)
        .add(DateTimeFormatter.ISO_INSTANT.format(at.truncatedTo(ChronoUnit.MICROS)))
        .add(requestId)
        .add(clientId)
        .add(department)
        .add(action)
        .add(resource)
        .add(subject)
        .add(outcome)
        .add(detail)
        .add(prevHash)
        .encode();
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(sha.digest(canonical.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 missing from the JDK", e);
    }
  }
}
