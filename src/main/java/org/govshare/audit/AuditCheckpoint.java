package org.govshare.audit;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the chain stood, kept outside the database: someone who can rewrite {@code audit_log} and
 * {@code audit_head} cannot rewrite these files. {@code audit-checkpoint} holds the newest
 * {@code seq hash} this instance committed (replaced after each chain commit, coalesced);
 * {@code audit-checkpoints.log} gains a line each time the chain passes another {@link #MARK_EVERY}
 * records, so a rewrite deep in the log is located between two marks.
 */
public final class AuditCheckpoint {
  private static final Logger LOG = LoggerFactory.getLogger(AuditCheckpoint.class);
  static final long MARK_EVERY = 10_000;
  static final String LATEST = "audit-checkpoint";
  static final String MARKS = "audit-checkpoints.log";

  private final Vertx vertx;
  private final Path dir;
  private long wantedSeq;
  private String wantedHash;
  private long writtenSeq;
  private long markedSeq;
  private boolean writing;

  public AuditCheckpoint(Vertx vertx, Path dir) {
    this.vertx = vertx;
    this.dir = dir;
  }

  /** Called after every chain commit; at most one file write runs at a time, later heads wait for it. */
  synchronized void advance(long seq, String hash) {
    if (seq <= wantedSeq) {
      return;
    }
    wantedSeq = seq;
    wantedHash = hash;
    if (!writing) {
      writing = true;
      writeNext();
    }
  }

  private void writeNext() {
    long seq;
    String hash;
    boolean mark;
    synchronized (this) {
      if (wantedSeq <= writtenSeq) {
        writing = false;
        return;
      }
      seq = wantedSeq;
      hash = wantedHash;
      mark = markedSeq == 0 || seq / MARK_EVERY > markedSeq / MARK_EVERY;
    }
    vertx.executeBlocking(() -> {
      write(seq, hash, mark);
      return null;
    }, false).onComplete(ar -> {
      synchronized (this) {
        if (ar.succeeded()) {
          writtenSeq = Math.max(writtenSeq, seq);
          if (mark) {
            markedSeq = seq;
          }
        } else {
          LOG.warn("audit checkpoint {} could not be written to {}: {}", seq, dir, ar.cause().toString());
          writtenSeq = Math.max(writtenSeq, seq); // the next commit tries again with its own head
        }
      }
      writeNext();
    });
  }

  private void write(long seq, String hash, boolean mark) throws IOException {
    Files.createDirectories(dir);
    String line = seq + " " + hash + "\n";
    if (mark) {
      try (FileChannel ch = FileChannel.open(dir.resolve(MARKS), StandardOpenOption.CREATE, StandardOpenOption.APPEND,
          StandardOpenOption.WRITE)) {
        ch.write(java.nio.ByteBuffer.wrap(line.getBytes(StandardCharsets.US_ASCII)));
        ch.force(false);
      }
    }
    Path tmp = dir.resolve(LATEST + ".tmp");
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
        StandardOpenOption.WRITE)) {
      ch.write(java.nio.ByteBuffer.wrap(line.getBytes(StandardCharsets.US_ASCII)));
      ch.force(false);
    }
    Files.move(tmp, dir.resolve(LATEST), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** Every checkpoint on file, seq → hash (empty on a first start). Reads files: on a worker. */
  Future<NavigableMap<Long, String>> read() {
    return vertx.executeBlocking(this::readNow, false);
  }

  NavigableMap<Long, String> readNow() throws IOException {
    NavigableMap<Long, String> out = new TreeMap<>();
    for (String name : new String[] {MARKS, LATEST}) {
      Path file = dir.resolve(name);
      if (!Files.exists(file)) {
        continue;
      }
      for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
        String[] parts = line.trim().split(" ");
        if (parts.length == 2) {
          out.put(Long.parseLong(parts[0]), parts[1]);
        }
      }
    }
    return out;
  }
}
