package org.govshare.access;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * The cached form of one key's state: a record ({@code version}, {@code updatedAt}, its items as
 * JSON), the knowledge that the key has no record, or a clustered loader's reservation. Bytes, not
 * objects: a fifth of the memory of a parsed record, and what Hazelcast stores without a serializer.
 */
final class RecordBytes {
  static final byte RECORD = 1;
  static final byte ABSENT = 2;
  static final byte LOADING = 3;
  private static final int HEADER = 1 + 4 + 8 + 4;
  private static final byte[] ABSENT_BYTES = {ABSENT};

  private RecordBytes() {}

  static byte[] of(StoredRecord r) {
    byte[] json = r.data().toBuffer().getBytes();
    Instant at = r.updatedAt().toInstant();
    return ByteBuffer.allocate(HEADER + json.length).put(RECORD).putInt(r.version()).putLong(at.getEpochSecond())
        .putInt(at.getNano()).put(json).array();
  }

  static byte[] absent() {
    return ABSENT_BYTES;
  }

  static byte[] loading(long token) {
    return ByteBuffer.allocate(9).put(LOADING).putLong(token).array();
  }

  /** A record or the knowledge that there is none: what a read may be answered from. */
  static boolean known(byte[] b) {
    return b != null && b.length > 0 && (b[0] == RECORD || b[0] == ABSENT);
  }

  static boolean loadingBy(byte[] b, long token) {
    return b != null && b.length == 9 && b[0] == LOADING && ByteBuffer.wrap(b, 1, 8).getLong() == token;
  }

  /** The record, or null when the key has none. */
  static StoredRecord record(String key, byte[] b) {
    if (b[0] != RECORD) {
      return null;
    }
    ByteBuffer in = ByteBuffer.wrap(b);
    in.get();
    int version = in.getInt();
    OffsetDateTime at = OffsetDateTime.ofInstant(Instant.ofEpochSecond(in.getLong(), in.getInt()), ZoneOffset.UTC);
    JsonObject data = new JsonObject(Buffer.buffer(b).slice(HEADER, b.length));
    return new StoredRecord(key, version, data, at);
  }
}
