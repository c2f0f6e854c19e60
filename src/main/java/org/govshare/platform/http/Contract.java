package org.govshare.platform.http;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.openapi.contract.MediaType;
import io.vertx.openapi.contract.OpenAPIContract;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The OpenAPI 3.1 contract in {@code openapi.yaml}: served as written at {@code /openapi.yaml},
 * and loaded for request validation. The validator understands JSON and multipart bodies only,
 * so its copy drops the other media types (form-encoded token requests, NDJSON, CSV, problem+json);
 * the handlers of those operations parse their bodies themselves.
 */
public record Contract(String yaml, OpenAPIContract openApi) {
  public static final String RESOURCE = "openapi.yaml";

  /** Blocking (reads the classpath): call at start-up. */
  public static String readYaml() {
    try (InputStream in = Contract.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " missing from the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + RESOURCE, e);
    }
  }

  public static Future<Contract> load(Vertx vertx, String yaml) {
    Map<String, Object> tree = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
    JsonObject raw = new JsonObject(io.vertx.core.json.Json.encode(tree));
    JsonObject forValidation = raw.copy();
    stripUnsupportedMediaTypes(forValidation);
    return OpenAPIContract.from(vertx, forValidation).map(c -> new Contract(yaml, c));
  }

  private static void stripUnsupportedMediaTypes(JsonObject contract) {
    JsonObject paths = contract.getJsonObject("paths", new JsonObject());
    for (String path : paths.fieldNames()) {
      JsonObject item = paths.getJsonObject(path);
      for (String method : List.copyOf(item.fieldNames())) {
        Object op = item.getValue(method);
        if (!(op instanceof JsonObject operation)) {
          continue;
        }
        JsonObject body = operation.getJsonObject("requestBody");
        if (body != null && body.containsKey("content")) {
          keepSupported(body.getJsonObject("content"));
          if (body.getJsonObject("content").isEmpty()) {
            operation.remove("requestBody");
          }
        }
        stripResponses(operation.getJsonObject("responses", new JsonObject()));
      }
    }
    stripResponses(contract.getJsonObject("components", new JsonObject()).getJsonObject("responses", new JsonObject()));
  }

  private static void stripResponses(JsonObject responses) {
    for (String name : responses.fieldNames()) {
      Object value = responses.getValue(name);
      if (value instanceof JsonObject response && response.containsKey("content")) {
        keepSupported(response.getJsonObject("content"));
        if (response.getJsonObject("content").isEmpty()) {
          response.remove("content");
        }
      }
    }
  }

  private static void keepSupported(JsonObject content) {
    for (String type : List.copyOf(content.fieldNames())) {
      if (!MediaType.isMediaTypeSupported(type)) {
        content.remove(type);
      }
    }
  }
}
