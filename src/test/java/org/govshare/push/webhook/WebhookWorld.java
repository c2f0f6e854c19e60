package org.govshare.push.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.govshare.testing.CatalogEntries;
import org.govshare.testing.Http;
import org.govshare.testing.TestServer;

/** Departments, a conditional resource with a sensitive item, grants, uploads and subscriptions for the webhook tests. */
final class WebhookWorld {
  record Party(String department, String token) {}

  private WebhookWorld() {}

  static Party party(TestServer server, String prefix, String... roles) {
    String dept = server.department(prefix);
    return new Party(dept, server.tokenFor(server.client(dept, roles)));
  }

  static Party client(TestServer server, String department, String... roles) {
    return new Party(department, server.tokenFor(server.client(department, roles)));
  }

  /** CONDITIONAL: a consumer needs a grant; {@code phone} is sensitive (masked for consumers). */
  static String resource(TestServer server, Party provider) {
    JsonArray items = new JsonArray()
        .add(CatalogEntries.item("ref", "业务编号", "C", 32).put("isKey", true))
        .add(CatalogEntries.item("name", "名称", "C", 50))
        .add(CatalogEntries.item("phone", "联系电话", "C", 11).put("sensitive", true));
    JsonObject entry = CatalogEntries.departmental(provider.department(), "推送测试资源 " + System.nanoTime()).put("items", items);
    Http http = server.http();
    String code = http.post("/api/v1/catalog/resources", entry).as(provider.token()).expect(201).json().getString("code");
    http.post(CatalogEntries.path(code) + "/publish").as(provider.token()).expect(200);
    return code;
  }

  static String grant(TestServer server, Party provider, Party consumer, String code) {
    Http http = server.http();
    String app = http.post("/api/v1/applications", new JsonObject().put("resource", code).put("items", new JsonArray().add("ref").add("name")
            .add("phone")).put("purpose", "核验企业联系人信息的一致性").put("usage", "DATA_VERIFICATION"))
        .as(consumer.token()).expect(201).json().getString("id");
    return http.post("/api/v1/applications/" + app + "/decision", new JsonObject().put("decision", "APPROVE"))
        .as(provider.token()).expect(200).json().getString("grant");
  }

  /** Uploads records {@code prefix-from} … {@code prefix-to}; returns their sequence numbers' range. */
  static JsonObject upload(TestServer server, Party provider, String code, String prefix, int from, int to) {
    StringBuilder ndjson = new StringBuilder();
    for (int i = from; i <= to; i++) {
      ndjson.append(new JsonObject().put("ref", prefix + "-" + i).put("name", "企业" + i).put("phone", "1380000" + String.format("%04d", i))
          .encode()).append('\n');
    }
    JsonObject r = server.http().send("POST", "/api/v1/resources/" + enc(code) + "/records", ndjson.toString(), "application/x-ndjson")
        .as(provider.token()).expect(200).json();
    assertThat(r.getInteger("accepted")).as("upload %s", r).isEqualTo(to - from + 1);
    return r;
  }

  static JsonObject subscribe(TestServer server, Party consumer, String code, String url) {
    return server.http().post("/api/v1/subscriptions", new JsonObject().put("resource", code).put("callbackUrl", url))
        .as(consumer.token()).expect(201).json();
  }

  static JsonObject subscription(TestServer server, Party consumer, String id) {
    return server.http().get("/api/v1/subscriptions/" + id).as(consumer.token()).expect(200).json();
  }

  static String enc(String code) {
    return URLEncoder.encode(code, StandardCharsets.UTF_8);
  }

  static List<Long> range(long first, long last) {
    List<Long> out = new ArrayList<>();
    for (long s = first; s <= last; s++) {
      out.add(s);
    }
    return out;
  }

  /** Polls until {@code done} holds or {@code seconds} pass; then fails saying what was awaited. */
  static void eventually(int seconds, String what, BooleanSupplier done) {
    long until = System.nanoTime() + seconds * 1_000_000_000L;
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > until) {
        throw new AssertionError("not within " + seconds + " s: " + what);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
