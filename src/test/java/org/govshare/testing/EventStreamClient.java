package org.govshare.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A Server-Sent Events client over the JDK's HttpClient, as a department's system would read a change
 * stream: events are parsed from the lines as they arrive and queued for the test to take.
 */
public final class EventStreamClient implements AutoCloseable {
  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final Event CLOSED = new Event(null, "(closed)", null);

  /** One event: {@code id} null when the server sent none (the {@code end} event). */
  public record Event(String id, String event, String data) {
    public JsonObject json() {
      return new JsonObject(data);
    }

    public long seq() {
      return Long.parseLong(id);
    }
  }

  private final HttpResponse<Stream<String>> response;
  private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
  private final AtomicInteger comments = new AtomicInteger();
  private final String body;
  private volatile boolean ended;

  private EventStreamClient(HttpResponse<Stream<String>> response) {
    this.response = response;
    if (response.statusCode() != 200) {
      body = String.join("\n", response.body().toList());
      return;
    }
    body = null;
    Thread reader = new Thread(this::read, "sse-test-reader");
    reader.setDaemon(true);
    reader.start();
  }

  /** Opens {@code path} with the token and extra headers; returns once the status line arrived. */
  public static EventStreamClient open(String baseUrl, String path, String token, Map<String, String> headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path)).header("Accept", "text/event-stream").GET();
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    headers.forEach(b::header);
    try {
      HttpResponse<Stream<String>> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofLines());
      ContractCoverage.record(new ContractCoverage.Exchange("GET", path, r.statusCode(), r.headers().firstValue("Content-Type").orElse(null),
          true));
      return new EventStreamClient(r);
    } catch (Exception e) {
      throw new AssertionError("GET " + path + " failed: " + e, e);
    }
  }

  private void read() {
    String id = null;
    String event = null;
    StringBuilder data = null;
    try (Stream<String> lines = response.body()) {
      for (String line : (Iterable<String>) lines::iterator) {
        if (line.isEmpty()) {
          if (data != null) {
            events.add(new Event(id, event == null ? "message" : event, data.toString()));
          }
          id = null;
          event = null;
          data = null;
        } else if (line.startsWith(":")) {
          comments.incrementAndGet();
        } else if (line.startsWith("id: ")) {
          id = line.substring(4);
        } else if (line.startsWith("event: ")) {
          event = line.substring(7);
        } else if (line.startsWith("data: ")) {
          data = data == null ? new StringBuilder(line.substring(6)) : data.append('\n').append(line.substring(6));
        }
      }
    } catch (RuntimeException e) {
      // closed by close(), or the connection broke: the queue says so
    } finally {
      ended = true;
      events.add(CLOSED);
    }
  }

  public int status() {
    return response.statusCode();
  }

  public String header(String name) {
    return response.headers().firstValue(name).orElse(null);
  }

  /** The problem+json body of a refused stream. */
  public JsonObject problem() {
    assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
    return new JsonObject(body);
  }

  /** The next event, failing the test when none comes within {@code timeout}. */
  public Event next(Duration timeout) {
    try {
      Event e = events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
      assertThat(e).as("an event within %s", timeout).isNotNull();
      assertThat(e).as("an event before the stream closed").isNotSameAs(CLOSED);
      return e;
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  /** The next {@code n} events. */
  public List<Event> next(int n, Duration timeout) {
    List<Event> out = new ArrayList<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (out.size() < n) {
      out.add(next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime()))));
    }
    return out;
  }

  /** Nothing arrives within {@code quiet} (no event, no close). */
  public void expectQuiet(Duration quiet) {
    try {
      Event e = events.poll(quiet.toMillis(), TimeUnit.MILLISECONDS);
      assertThat(e).as("no event").isNull();
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  /** Whether the server closed the stream (all queued events were taken or not). */
  public boolean awaitClosed(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!ended && System.nanoTime() < deadline) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
    return ended;
  }

  public int comments() {
    return comments.get();
  }

  @Override
  public void close() {
    if (response.statusCode() == 200) {
      response.body().close();
    }
  }
}
