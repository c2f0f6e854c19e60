package org.govshare.access;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.map.ExtendedMapEntry;
import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import org.govshare.access.HazelcastRecordCache.Drop;
import org.govshare.access.HazelcastRecordCache.Fill;
import org.govshare.access.HazelcastRecordCache.Reserve;
import org.junit.jupiter.api.Test;

/** The entry processors of the clustered record cache, on one key as its partition owner runs them: one at a time. */
class RecordReservationTest {
  private static final StoredRecord OLD = new StoredRecord("K1", 1, new JsonObject().put("income", 1),
      OffsetDateTime.of(2026, 1, 2, 3, 4, 5, 600_000_000, ZoneOffset.UTC));
  private static final StoredRecord NEW = new StoredRecord("K1", 2, new JsonObject().put("income", 2), OLD.updatedAt().plusSeconds(1));

  private final Entry key = new Entry();

  @Test
  void fill_overItsOwnReservation_isKept_andServed() {
    assertThat(new Reserve(7, 30_000).process(key)).isNull();
    assertThat(new Fill(7, RecordBytes.of(OLD), 60_000).process(key)).isTrue();
    assertThat(key.ttlMs).isEqualTo(60_000);
    assertThat(new Reserve(8, 30_000).process(key)).as("a known state is answered, not reserved again").isEqualTo(key.value);
    assertThat(RecordBytes.record("K1", key.value)).isEqualTo(OLD);
  }

  @Test
  void aWriteBetweenReservationAndFill_keepsTheOldRecordOut() {
    new Reserve(7, 30_000).process(key);
    new Drop().process(key); // the writer, after its commit: the loader may have read the old record
    assertThat(new Fill(7, RecordBytes.of(OLD), 60_000).process(key)).isFalse();
    assertThat(key.value).isNull();
  }

  @Test
  void aLaterLoader_takesOverTheReservation_theEarlierFillIsRefused() {
    new Reserve(7, 30_000).process(key);
    new Drop().process(key);
    new Reserve(9, 30_000).process(key);
    assertThat(new Fill(7, RecordBytes.of(OLD), 60_000).process(key)).isFalse();
    assertThat(new Fill(9, RecordBytes.of(NEW), 60_000).process(key)).isTrue();
    assertThat(RecordBytes.record("K1", key.value)).isEqualTo(NEW);
  }

  @Test
  void anUnknownKey_isCachedAsAbsent_andAnInsertDropsIt() {
    new Reserve(3, 30_000).process(key);
    assertThat(new Fill(3, RecordBytes.absent(), 60_000).process(key)).isTrue();
    assertThat(RecordBytes.known(key.value)).isTrue();
    assertThat(RecordBytes.record("K1", key.value)).isNull();
    new Drop().process(key);
    assertThat(key.value).isNull();
  }

  @Test
  void aFillWithoutReservation_isRefused() {
    assertThat(new Fill(5, RecordBytes.of(OLD), 60_000).process(key)).as("reservation expired or evicted").isFalse();
    assertThat(key.value).isNull();
  }

  /** One map entry; a null value is no entry. */
  private static final class Entry implements ExtendedMapEntry<String, byte[]> {
    byte[] value;
    long ttlMs = -1;

    @Override
    public String getKey() {
      return "R\u001fK1";
    }

    @Override
    public byte[] getValue() {
      return value;
    }

    @Override
    public byte[] setValue(byte[] v) {
      byte[] old = value;
      value = v;
      return old;
    }

    @Override
    public byte[] setValue(byte[] v, long ttl, TimeUnit unit) {
      ttlMs = unit.toMillis(ttl);
      return setValue(v);
    }

    @Override
    public byte[] setValueWithoutChangingExpiryTime(byte[] v) {
      return setValue(v);
    }
  }
}
