package org.govshare.access;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.ZoneId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.BiFunction;
import org.govshare.access.RecordSchema.Checked;
import org.govshare.access.RecordSchema.LineError;
import org.govshare.access.RecordStore.Write;
import org.govshare.access.RecordStore.SeqRange;
import org.govshare.kernel.AuditEntry;
import org.govshare.platform.Problem;
import org.govshare.platform.config.GovshareConfig.DataPlaneConfig;

/**
 * One NDJSON upload, read as it arrives: lines are split, checked and gathered into batches; one
 * batch at a time is written while the next is read and checked, and the request is paused while a
 * full batch waits (backpressure), so an upload of any size holds at most about three batches in memory.
 */
final class Ingestion implements LineSplitter.Sink {
  private final RecordSchema schema;
  private final RecordStore store;
  private final DataPlaneConfig limits;
  private final ZoneId zone;
  private final HttpServerRequest request;
  // the audit record of a committed batch: (range, rows in it) -> entry
  private final BiFunction<SeqRange, Integer, AuditEntry> audit;
  private final LineSplitter splitter;
  private final Deque<LinkedHashMap<String, Write>> batches = new ArrayDeque<>();
  private final List<LineError> errors = new ArrayList<>();
  private final Promise<JsonObject> done = Promise.promise();
  private long bytes;
  private long accepted;
  private long rejected;
  private long errorsOmitted;
  private Long firstSeq;
  private Long lastSeq;
  private boolean writing;
  private boolean ended;
  private boolean failed; // a batch could not be written: nothing more is written, the upload is answered with the failure
  private Problem stopped;

  Ingestion(RecordSchema schema, RecordStore store, DataPlaneConfig limits, ZoneId zone, HttpServerRequest request,
      BiFunction<SeqRange, Integer, AuditEntry> audit) {
    this.schema = schema;
    this.store = store;
    this.limits = limits;
    this.zone = zone;
    this.request = request;
    this.audit = audit;
    this.splitter = new LineSplitter(limits.ingestMaxLineBytes(), this);
    batches.add(new LinkedHashMap<>());
  }

  Future<JsonObject> run() {
    String length = request.getHeader("Content-Length");
    if (length != null && parseLong(length) > limits.ingestMaxBytes()) {
      return Future.failedFuture(tooLarge("the upload is larger than " + limits.ingestMaxBytes() + " bytes"));
    }
    if ("100-continue".equalsIgnoreCase(request.getHeader("Expect"))) {
      request.response().writeContinue();
    }
    request.handler(chunk -> {
      if (stopped != null || failed) {
        return;
      }
      bytes += chunk.length();
      if (bytes > limits.ingestMaxBytes()) {
        stop(tooLarge("the upload is larger than " + limits.ingestMaxBytes() + " bytes"));
        return;
      }
      splitter.feed(chunk);
      pump();
    });
    request.endHandler(v -> {
      if (stopped == null) {
        splitter.finish();
      }
      ended = true;
      pump();
    });
    request.exceptionHandler(e -> stop(Problem.malformed("the upload broke off: " + e.getMessage())));
    request.resume();
    return done.future();
  }

  @Override
  public void line(long number, String text) {
    if (stopped != null) {
      return;
    }
    if (number > limits.ingestMaxLines()) {
      stop(tooLarge("the upload has more than " + limits.ingestMaxLines() + " lines"));
      return;
    }
    if (text.isBlank()) {
      return;
    }
    JsonObject parsed;
    try {
      parsed = new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      reject(List.of(new LineError(number, null, null, "not a JSON object")));
      return;
    }
    List<LineError> found = new ArrayList<>(0);
    Checked checked = schema.check(number, parsed, zone, found);
    if (checked == null) {
      reject(found);
      return;
    }
    LinkedHashMap<String, Write> open = batches.peekLast();
    // one statement cannot write a key twice: a repeated key starts the next batch
    if (open.size() >= limits.ingestBatchRows() || open.containsKey(checked.key())) {
      open = new LinkedHashMap<>();
      batches.add(open);
    }
    // a line already in canonical form is stored as sent: no second encoding
    open.put(checked.key(), new Write(checked.key(), checked.asSent() ? text : checked.data().encode()));
  }

  @Override
  public void tooLong(long number, long lineBytes) {
    if (stopped == null) {
      reject(List.of(new LineError(number, null, null, "the line has " + lineBytes + " bytes; at most "
          + limits.ingestMaxLineBytes() + " are accepted")));
    }
  }

  private void reject(List<LineError> lineErrors) {
    rejected++;
    for (LineError e : lineErrors) {
      if (errors.size() < limits.ingestErrorsListed()) {
        errors.add(e);
      } else {
        errorsOmitted++;
      }
    }
  }

  /**
   * Writes the next batch when one is ready and the previous one is committed. The upload is read
   * on while a batch is written, so checking the next batch overlaps writing this one; it is paused
   * only while a full batch already waits behind the one being written.
   */
  private void pump() {
    if (failed) {
      return;
    }
    if (!writing) {
      LinkedHashMap<String, Write> next = batches.peekFirst();
      boolean full = batches.size() > 1 || next.size() >= limits.ingestBatchRows();
      boolean last = ended || stopped != null;
      // after a 413 the lines read before the limit are still written; after any other stop nothing more
      if (!next.isEmpty() && (full || last) && (stopped == null || stopped.status() == 413)) {
        batches.pollFirst();
        if (batches.isEmpty()) {
          batches.add(new LinkedHashMap<>());
        }
        write(next);
      }
    }
    if (writing) {
      if (stopped == null && !ended) {
        if (batches.size() > 1) {
          request.pause();
        } else {
          request.resume();
        }
      }
      return;
    }
    if (stopped != null) {
      done.tryFail(stopped.with("accepted", accepted).with("rejected", rejected).with("firstSeq", firstSeq)
          .with("lastSeq", lastSeq));
    } else if (ended) {
      done.tryComplete(summary());
    } else {
      request.resume();
    }
  }

  private void write(LinkedHashMap<String, Write> batch) {
    writing = true;
    List<Write> rows = new ArrayList<>(batch.values());
    store.upsert(schema.code(), rows, range -> audit.apply(range, rows.size())).onComplete(ar -> {
      writing = false;
      if (ar.failed()) {
        failed = true;
        request.pause();
        done.tryFail(ar.cause());
        return;
      }
      accepted += rows.size();
      if (firstSeq == null) {
        firstSeq = ar.result().first();
      }
      lastSeq = ar.result().last();
      pump();
    });
  }

  private void stop(Problem why) {
    if (stopped == null) {
      stopped = why;
      request.pause();
      pump();
    }
  }

  long rejected() {
    return rejected;
  }

  private JsonObject summary() {
    JsonArray list = new JsonArray();
    errors.forEach(e -> list.add(e.toJson()));
    JsonObject out = new JsonObject().put("accepted", accepted).put("rejected", rejected).put("errors", list);
    if (errorsOmitted > 0) {
      out.put("errorsOmitted", errorsOmitted);
    }
    if (firstSeq != null) {
      out.put("firstSeq", firstSeq).put("lastSeq", lastSeq);
    }
    return out;
  }

  private static Problem tooLarge(String detail) {
    return new Problem(413, "PAYLOAD_TOO_LARGE", "Request body too large", detail
        + "; the lines read before the limit were committed (see accepted, firstSeq, lastSeq)", List.of(), null);
  }

  private static long parseLong(String s) {
    try {
      return Long.parseLong(s.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
