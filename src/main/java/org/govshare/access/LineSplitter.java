package org.govshare.access;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;

/**
 * Splits a byte stream into lines as the chunks arrive. A line longer than the bound is never
 * held whole: its bytes are dropped as they come and it is reported once, by number, when it ends.
 */
final class LineSplitter {
  interface Sink {
    void line(long number, String text);

    void tooLong(long number, long bytes);
  }

  private final int maxLineBytes;
  private final Sink sink;
  private byte[] pending = new byte[1024];
  private int pendingLength;
  private long overflowBytes = -1; // >= 0 while discarding an over-long line
  private long lineNumber;

  LineSplitter(int maxLineBytes, Sink sink) {
    this.maxLineBytes = maxLineBytes;
    this.sink = sink;
  }

  long lines() {
    return lineNumber;
  }

  void feed(Buffer chunk) {
    byte[] bytes = chunk.getBytes();
    int start = 0;
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == '\n') {
        append(bytes, start, i);
        endLine();
        start = i + 1;
      }
    }
    append(bytes, start, bytes.length);
  }

  /** The stream ended: a last line without a newline still counts. */
  void finish() {
    if (pendingLength > 0 || overflowBytes >= 0) {
      endLine();
    }
  }

  private void append(byte[] bytes, int from, int to) {
    int n = to - from;
    if (n == 0) {
      return;
    }
    if (overflowBytes >= 0) {
      overflowBytes += n;
      return;
    }
    if (pendingLength + n > maxLineBytes) {
      overflowBytes = pendingLength + n;
      pendingLength = 0;
      if (pending.length > 64 * 1024) {
        pending = new byte[1024];
      }
      return;
    }
    if (pendingLength + n > pending.length) {
      byte[] bigger = new byte[Math.min(maxLineBytes, Math.max(pending.length * 2, pendingLength + n))];
      System.arraycopy(pending, 0, bigger, 0, pendingLength);
      pending = bigger;
    }
    System.arraycopy(bytes, from, pending, pendingLength, n);
    pendingLength += n;
  }

  private void endLine() {
    lineNumber++;
    if (overflowBytes >= 0) {
      long bytes = overflowBytes;
      overflowBytes = -1;
      sink.tooLong(lineNumber, bytes);
      return;
    }
    int length = pendingLength;
    if (length > 0 && pending[length - 1] == '\r') {
      length--;
    }
    String text = new String(pending, 0, length, StandardCharsets.UTF_8);
    pendingLength = 0;
    sink.line(lineNumber, text);
  }
}
