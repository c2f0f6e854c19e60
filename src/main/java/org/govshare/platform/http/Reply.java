package org.govshare.platform.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;

/** What a handler answers: a status, a body (JSON or text) and extra headers. */
public final class Reply {
  private final int status;
  private final String contentType;
  private final Buffer body;
  private final Map<String, String> headers = new LinkedHashMap<>();

  private Reply(int status, String contentType, Buffer body) {
    this.status = status;
    this.contentType = contentType;
    this.body = body;
  }

  public static Reply ok(JsonObject body) {
    return json(200, body);
  }

  public static Reply created(JsonObject body) {
    return json(201, body);
  }

  public static Reply json(int status, JsonObject body) {
    return new Reply(status, "application/json; charset=utf-8", body.toBuffer());
  }

  public static Reply json(int status, JsonArray body) {
    return new Reply(status, "application/json; charset=utf-8", body.toBuffer());
  }

  public static Reply noContent() {
    return new Reply(204, null, null);
  }

  public static Reply text(int status, String contentType, String text) {
    return new Reply(status, contentType, Buffer.buffer(text));
  }

  /** A body that is not text (images). */
  public static Reply bytes(int status, String contentType, Buffer body) {
    return new Reply(status, contentType, body);
  }

  public Reply header(String name, String value) {
    headers.put(name, value);
    return this;
  }

  public int status() {
    return status;
  }

  public String contentType() {
    return contentType;
  }

  public Buffer body() {
    return body;
  }

  public Map<String, String> headers() {
    return headers;
  }
}
