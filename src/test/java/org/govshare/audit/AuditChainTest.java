package org.govshare.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AuditChainTest {

  private static List<AuditRecord> chain(int n) {
    List<AuditRecord> out = new ArrayList<>();
    String prev = AuditChain.GENESIS;
    for (long seq = 1; seq <= n; seq++) {
      Instant at = Instant.parse("2026-01-01T00:00:00.123456Z").plusSeconds(seq);
      String hash = AuditChain.hash(seq, at, "r" + seq, "c", "D", "TOKEN_ISSUE", null, "s", "OK", "{}", prev);
      out.add(new AuditRecord(seq, at, "r" + seq, "c", "D", "TOKEN_ISSUE", null, "s", "OK", "{}", prev, hash));
      prev = hash;
    }
    return out;
  }

  private static AuditService.Progress start() {
    return new AuditService.Progress(0, AuditChain.GENESIS, 0, null);
  }

  @Test
  void check_passesAnIntactChain() {
    AuditService.Progress p = AuditService.check(start(), chain(10));
    assertThat(p.broken()).isNull();
    assertThat(p.checked()).isEqualTo(10);
    assertThat(p.lastSeq()).isEqualTo(10);
  }

  @Test
  void check_findsAnEditedRecord() {
    List<AuditRecord> c = chain(5);
    AuditRecord r = c.get(2);
    c.set(2, new AuditRecord(r.seq(), r.at(), r.requestId(), r.clientId(), r.department(), r.action(), r.resource(), r.subject(),
        "DENIED", r.detail(), r.prevHash(), r.hash()));
    assertThat(AuditService.check(start(), c).broken().getLong("firstBrokenSeq")).isEqualTo(3);
  }

  @Test
  void check_findsADeletedRecord() {
    List<AuditRecord> c = chain(5);
    c.remove(1);
    assertThat(AuditService.check(start(), c).broken().getString("reason")).isEqualTo("MISSING");
    assertThat(AuditService.check(start(), c).broken().getLong("firstBrokenSeq")).isEqualTo(2);
  }

  @Test
  void hash_dependsOnEveryFieldAndCannotBeShifted() {
    Instant at = Instant.parse("2026-01-01T00:00:00Z");
    String a = AuditChain.hash(1, at, "ab", "c", null, "X", null, null, "OK", "{}", AuditChain.GENESIS);
    String b = AuditChain.hash(1, at, "a", "bc", null, "X", null, null, "OK", "{}", AuditChain.GENESIS);
    assertThat(a).isNotEqualTo(b).hasSize(64);
  }
}
