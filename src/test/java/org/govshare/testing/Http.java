package org.govshare.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** Real HTTP against a running server, written to read as request → expect(status, body). */
public final class Http {
  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final String base;

  public Http(String base) {
    this.base = base;
  }

  public Call get(String path) {
    return new Call("GET", path, null, null);
  }

  public Call delete(String path) {
    return new Call("DELETE", path, null, null);
  }

  public Call post(String path, JsonObject body) {
    return new Call("POST", path, body.encode(), "application/json");
  }

  public Call post(String path) {
    return new Call("POST", path, null, null);
  }

  public Call put(String path, JsonObject body) {
    return new Call("PUT", path, body.encode(), "application/json");
  }

  public Call send(String method, String path, String body, String contentType) {
    return new Call(method, path, body, contentType);
  }

  /** A body sent as these exact bytes (broken encodings), or streamed without a length when {@code chunked}. */
  public Call send(String method, String path, byte[] body, String contentType, boolean chunked) {
    Call call = new Call(method, path, null, contentType);
    call.bytes = body;
    call.chunked = chunked;
    return call;
  }

  public final class Call {
    private final String method;
    private final String path;
    private final String body;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private byte[] bytes;
    private boolean chunked;

    Call(String method, String path, String body, String contentType) {
      this.method = method;
      this.path = path;
      this.body = body;
      if (contentType != null) {
        headers.put("Content-Type", contentType);
      }
    }

    public Call as(String token) {
      headers.put("Authorization", "Bearer " + token);
      return this;
    }

    public Call header(String name, String value) {
      headers.put(name, value);
      return this;
    }

    public Reply send() {
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
      headers.forEach(b::header);
      if (bytes != null) {
        b.method(method, chunked ? HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(bytes))
            : HttpRequest.BodyPublishers.ofByteArray(bytes));
      } else {
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
      }
      try {
        HttpResponse<String> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        ContractCoverage.record(new ContractCoverage.Exchange(method, path, r.statusCode(),
            r.headers().firstValue("Content-Type").orElse(null), r.body() != null && !r.body().isEmpty()));
        return new Reply(method + " " + path, r.statusCode(), r.headers().map(), r.body());
      } catch (Exception e) {
        throw new AssertionError(method + " " + path + " failed: " + e, e);
      }
    }

    public Reply expect(int status) {
      Reply r = send();
      assertThat(r.status()).as("%s answered %s", r.what(), r.body()).isEqualTo(status);
      if (status >= 400) {
        assertThat(r.header("Content-Type")).as("%s content type", r.what()).startsWith("application/problem+json");
        assertThat(r.json().getString("code")).as("problem code of %s", r.what()).isNotBlank();
        assertThat(r.json().getInteger("status")).isEqualTo(status);
      }
      return r;
    }

    /** A refusal with the given status and stable code. */
    public Reply expectProblem(int status, String code) {
      Reply r = expect(status);
      assertThat(r.json().getString("code")).as("code of %s: %s", r.what(), r.body()).isEqualTo(code);
      return r;
    }
  }

  public record Reply(String what, int status, Map<String, java.util.List<String>> headers, String body) {
    public JsonObject json() {
      return new JsonObject(body);
    }

    public JsonArray items() {
      return json().getJsonArray("items");
    }

    public String header(String name) {
      return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).map(e -> e.getValue().get(0)).findFirst()
          .orElse(null);
    }
  }
}
