package org.govshare.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.govshare.platform.http.Contract;
import org.govshare.testing.Http;
import org.govshare.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Every text input of every operation in the contract (path and query parameters, every string
 * field of a JSON body) gets control characters, broken encodings, unpaired surrogates and
 * bidirectional overrides: each answer is a 4xx problem+json naming the field, never a 500, and
 * nothing changes (no request of this test leaves an OK audit record).
 */
class TextInputIT {
  private static final String PROBE = "text-probe-";
  private static final AtomicInteger SEQUENCE = new AtomicInteger();
  private static final TestServer server = TestServer.shared();
  private static final Http http = server.http();
  private static final JsonObject CONTRACT = new JsonObject(io.vertx.core.json.Json.encode(
      new Yaml(new SafeConstructor(new LoaderOptions())).load(Contract.readYaml())));
  private static OffsetDateTime started;

  /** JSON string values, as they appear escaped inside a body. */
  private static final List<String> BAD_JSON = List.of("\\u0000", "a\\u0007b", "x\\u001b[31m", "a\\ud800", "\\udc00z", "ab\\u202ecd",
      "\\u2066x\\u2069", "\\u0085");
  /** Percent-encoded query and path values. */
  private static final List<String> BAD_ENCODED = List.of("%00", "a%07b", "%C3%28", "%ED%A0%80", "%FF", "ab%E2%80%AEcd", "%C2%85",
      "a%0Ab");

  record Input(String method, String path, String operationId, String where, String name) {
    @Override
    public String toString() {
      return operationId + " " + where + " " + name;
    }
  }

  @BeforeAll
  static void start() {
    started = OffsetDateTime.now().minusSeconds(1);
  }

  static Stream<Input> inputs() {
    List<Input> out = new ArrayList<>();
    JsonObject paths = CONTRACT.getJsonObject("paths");
    for (String path : paths.fieldNames()) {
      JsonObject item = paths.getJsonObject(path);
      for (String method : List.of("get", "post", "put", "delete", "patch")) {
        JsonObject op = item.getJsonObject(method);
        if (op == null || !path.startsWith("/api/")) {
          continue;
        }
        String id = op.getString("operationId");
        List<JsonObject> parameters = new ArrayList<>();
        for (JsonArray list : List.of(item.getJsonArray("parameters", new JsonArray()), op.getJsonArray("parameters", new JsonArray()))) {
          for (int i = 0; i < list.size(); i++) {
            parameters.add(list.getJsonObject(i));
          }
        }
        for (JsonObject p : parameters) {
          JsonObject parameter = resolve(p);
          if (Set.of("path", "query").contains(parameter.getString("in"))) {
            out.add(new Input(method.toUpperCase(), path, id, parameter.getString("in"), parameter.getString("name")));
          }
        }
        JsonObject schema = op.getJsonObject("requestBody", new JsonObject()).getJsonObject("content", new JsonObject())
            .getJsonObject("application/json", new JsonObject()).getJsonObject("schema");
        if (schema != null) {
          Set<String> fields = new LinkedHashSet<>();
          stringFields(schema, "", fields, 0);
          fields.forEach(f -> out.add(new Input(method.toUpperCase(), path, id, "body", f)));
        }
      }
    }
    assertThat(out).hasSizeGreaterThan(60);
    return out.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("inputs")
  void badText_isRefusedNamingTheField(Input input) {
    if (input.where().equals("body")) {
      for (String bad : BAD_JSON) {
        String body = bodyWith(input.name(), "\"" + bad + "\"");
        Http.Reply r = call(input, concrete(input.path(), "X1"), body.getBytes(StandardCharsets.UTF_8));
        assertRefused(r, input, bad, input.name());
      }
      // bytes that are not UTF-8 at all, inside the same field
      String marked = bodyWith(input.name(), "\"a#\"");
      int at = marked.indexOf('#');
      byte[] broken = (marked.substring(0, at) + "\u00c3(" + marked.substring(at + 1)).getBytes(StandardCharsets.ISO_8859_1);
      assertRefused(call(input, concrete(input.path(), "X1"), broken), input, "0xC3", null);
      return;
    }
    for (String bad : BAD_ENCODED) {
      String target = input.where().equals("path")
          ? concrete(input.path().replace("{" + input.name() + "}", bad), "X1")
          : concrete(input.path(), "X1") + "?" + input.name() + "=" + bad;
      assertRefused(call(input, target, input.method().equals("GET") || input.method().equals("DELETE") ? null : "{}".getBytes()),
          input, bad, input.where().equals("path") ? null : input.name());
    }
    String target = input.where().equals("path")
        ? concrete(input.path().replace("{" + input.name() + "}", "%%"), "X1")
        : concrete(input.path(), "X1") + "?" + input.name() + "=%%";
    RawReply raw = raw(input.method(), target);
    assertThat(raw.status()).as("%s with %%%% answered %s", input, raw.body()).isBetween(400, 499);
    assertThat(raw.body()).contains("\"code\"");
  }

  @Test
  void tokenRequest_refusesControlCharactersInFormValuesAndBasicCredentials() {
    for (String bad : BAD_ENCODED) {
      Http.Reply form = http.send("POST", "/api/v1/auth/token", "grant_type=client_credentials&client_id=ad" + bad + "min&client_secret=s",
          "application/x-www-form-urlencoded").header("X-Request-Id", PROBE + SEQUENCE.incrementAndGet()).send();
      assertThat(form.status()).as("client_id %s: %s", bad, form.body()).isEqualTo(400);
      assertThat(form.json().getString("error")).isEqualTo("invalid_request");
      String basic = Base64.getEncoder().encodeToString(("ad" + bad + "min:secret").getBytes(StandardCharsets.UTF_8));
      Http.Reply viaBasic = http.send("POST", "/api/v1/auth/token", "grant_type=client_credentials", "application/x-www-form-urlencoded")
          .header("Authorization", "Basic " + basic).header("X-Request-Id", PROBE + SEQUENCE.incrementAndGet()).send();
      assertThat(viaBasic.status()).as("Basic %s: %s", bad, viaBasic.body()).isEqualTo(400);
    }
    byte[] notUtf8 = {'a', 'd', (byte) 0xC3, '(', ':', 's'};
    Http.Reply r = http.send("POST", "/api/v1/auth/token", "grant_type=client_credentials", "application/x-www-form-urlencoded")
        .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(notUtf8)).send();
    assertThat(r.status()).isEqualTo(400);
  }

  @Test
  void forgedCursors_are400NotCastFailures() {
    List<String> lists = List.of("/api/v1/departments", "/api/v1/departments/BUREAU/clients", "/api/v1/audit", "/api/v1/applications",
        "/api/v1/grants", "/api/v1/disputes", "/api/v1/notifications", "/api/v1/catalog/resources", "/api/v1/catalog/filings");
    for (String list : lists) {
      for (String keys : List.of("[\"a\"]", "[1]", "[{\"x\":1}]", "[[1]]", "[\"\\u0000\"]", "[true]", "[1,2]", "[]")) {
        String cursor = Base64.getUrlEncoder().withoutPadding().encodeToString(keys.getBytes(StandardCharsets.UTF_8));
        Http.Reply r = http.get(list + "?cursor=" + cursor).as(server.adminToken()).send();
        assertThat(r.status()).as("%s cursor %s answered %s", list, keys, r.body()).isIn(200, 400);
      }
    }
  }

  @Test
  void invisibleOrReorderingNames_areRefusedAndRealTextKept() {
    for (String name : List.of("\\u200b", " \\u3000 ", "\\u3164", "\\t", "部门\\u202e名称", "\\u2067x")) {
      Http.Reply r = http.send("POST", "/api/v1/departments", "{\"code\":\"INV" + SEQUENCE.incrementAndGet() + "\",\"name\":\"" + name
          + "\",\"kind\":\"DEPARTMENT\"}", "application/json").as(server.adminToken()).header("X-Request-Id", PROBE + SEQUENCE.get()).send();
      assertThat(r.status()).as("name %s answered %s", name, r.body()).isIn(400, 422);
      assertThat(r.json().getJsonArray("errors").getJsonObject(0).getString("field")).isEqualTo("name");
    }
    // 100 characters outside the BMP are 100 characters (200 UTF-16 units), as the contract counts
    String emoji = "😀".repeat(100);
    http.post("/api/v1/departments", new JsonObject().put("code", "EMO" + SEQUENCE.incrementAndGet()).put("name", emoji)
        .put("kind", "DEPARTMENT")).as(server.adminToken()).expect(201);
  }

  @AfterAll
  static void nothingChanged() {
    List<JsonObject> ok = new ArrayList<>();
    String cursor = null;
    do {
      String query = "/api/v1/audit?outcome=OK&limit=500&from=" + java.net.URLEncoder.encode(started.toString(), StandardCharsets.UTF_8)
          + (cursor == null ? "" : "&cursor=" + cursor);
      JsonObject page = http.get(query).as(server.adminToken()).expect(200).json();
      page.getJsonArray("items").forEach(o -> ok.add((JsonObject) o));
      cursor = page.getString("nextCursor");
    } while (cursor != null);
    assertThat(ok).noneMatch(r -> String.valueOf(r.getJsonObject("detail", new JsonObject()).getString("clientRequestId")).startsWith(PROBE));
  }

  private static void assertRefused(Http.Reply r, Input input, String bad, String field) {
    assertThat(r.status()).as("%s with %s answered %s", input, bad, r.body()).isBetween(400, 499);
    assertThat(r.header("Content-Type")).as("%s with %s", input, bad).startsWith("application/problem+json");
    if (r.status() == 400 && field != null) {
      assertThat(r.json().getJsonArray("errors").getJsonObject(0).getString("field")).as("%s with %s: %s", input, bad, r.body())
          .isEqualTo(field);
    }
  }

  private static Http.Reply call(Input input, String target, byte[] body) {
    Http.Call call = body == null ? http.send(input.method(), target, (String) null, null)
        : http.send(input.method(), target, body, "application/json", false);
    return call.as(server.adminToken()).header("X-Request-Id", PROBE + SEQUENCE.incrementAndGet()).send();
  }

  /** A body holding just this field (dotted path, [0] for array items) with the given raw JSON value. */
  static String bodyWith(String field, String rawValue) {
    String[] parts = field.split("\\.");
    String value = rawValue;
    for (int i = parts.length - 1; i >= 0; i--) {
      String part = parts[i];
      boolean array = part.endsWith("[0]");
      String name = array ? part.substring(0, part.length() - 3) : part;
      String inner = array ? "[" + value + "]" : value;
      value = name.isEmpty() ? inner : "{\"" + name + "\":" + inner + "}";
    }
    return value.startsWith("{") ? value : "{\"value\":" + value + "}";
  }

  private static void stringFields(JsonObject schema, String prefix, Set<String> out, int depth) {
    if (schema == null || depth > 6) {
      return;
    }
    schema = resolve(schema);
    for (String combinator : List.of("oneOf", "anyOf", "allOf")) {
      for (Object alternative : schema.getJsonArray(combinator, new JsonArray())) {
        stringFields((JsonObject) alternative, prefix, out, depth + 1);
      }
    }
    Object type = schema.getValue("type");
    boolean isString = "string".equals(type) || (type instanceof JsonArray t && t.contains("string"));
    if (isString && !prefix.isEmpty() && !Boolean.TRUE.equals(schema.getBoolean("readOnly"))) {
      out.add(prefix);
    }
    JsonObject properties = schema.getJsonObject("properties");
    if (properties != null) {
      for (String name : properties.fieldNames()) {
        stringFields(properties.getJsonObject(name), prefix.isEmpty() ? name : prefix + "." + name, out, depth + 1);
      }
    }
    if (schema.getValue("items") instanceof JsonObject items) {
      stringFields(items, prefix + "[0]", out, depth + 1);
    }
  }

  private static JsonObject resolve(JsonObject schema) {
    String ref = schema.getString("$ref");
    if (ref == null) {
      return schema;
    }
    JsonObject at = CONTRACT;
    for (String part : ref.substring(2).split("/")) {
      at = at.getJsonObject(part);
    }
    return resolve(at);
  }

  private static String concrete(String path, String value) {
    return path.replaceAll("\\{[^}]+}", value);
  }

  record RawReply(int status, String body) {}

  /** For targets the JDK client will not send (a broken %-escape). */
  private static RawReply raw(String method, String target) {
    java.net.URI base = java.net.URI.create(server.baseUrl());
    try (Socket s = new Socket(base.getHost(), base.getPort())) {
      s.setSoTimeout(30_000);
      boolean body = !method.equals("GET") && !method.equals("DELETE");
      String request = method + " " + target + " HTTP/1.1\r\nHost: " + base.getHost() + "\r\nAuthorization: Bearer " + server.adminToken()
          + "\r\nX-Request-Id: " + PROBE + SEQUENCE.incrementAndGet() + "\r\nConnection: close\r\n"
          + (body ? "Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}" : "\r\n");
      OutputStream out = s.getOutputStream();
      out.write(request.getBytes(StandardCharsets.UTF_8));
      out.flush();
      InputStream in = s.getInputStream();
      String reply = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      int status = Integer.parseInt(reply.substring(9, 12));
      return new RawReply(status, reply.substring(reply.indexOf("\r\n\r\n") + 4));
    } catch (Exception e) {
      throw new AssertionError(method + " " + target + " failed: " + e, e);
    }
  }
}
