package org.govshare.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** The contract as a plain tree, for tests that check it and check the server against it. */
public final class ContractDocument {
  public static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options", "trace");

  /** One operation: where it lives and what it declares. */
  public record Operation(String operationId, String method, String path, Pattern pattern, int parameters, Map<String, Object> node,
      Map<String, Object> pathItem) {
    /** Status → the response object, $ref resolved. */
    public Map<String, Map<String, Object>> responses(ContractDocument doc) {
      Map<String, Map<String, Object>> out = new java.util.TreeMap<>();
      map(node.get("responses")).forEach((status, r) -> out.put(status, doc.resolve(map(r))));
      return out;
    }
  }

  private final Map<String, Object> root;
  private final List<Operation> operations = new ArrayList<>();

  public ContractDocument(String yaml) {
    this.root = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
    map(root.get("paths")).forEach((path, item) -> map(item).forEach((method, op) -> {
      if (METHODS.contains(method)) {
        Map<String, Object> node = map(op);
        operations.add(new Operation((String) node.get("operationId"), method.toUpperCase(Locale.ROOT), path, pattern(path),
            (int) path.chars().filter(c -> c == '{').count(), node, map(item)));
      }
    }));
    // literal paths before templated ones: /grants/check is not /grants/{id}
    operations.sort(Comparator.comparingInt(Operation::parameters));
  }

  /** The contract as the server ships it. */
  public static ContractDocument shipped() {
    try (InputStream in = ContractDocument.class.getClassLoader().getResourceAsStream("openapi.yaml")) {
      if (in == null) {
        throw new IllegalStateException("openapi.yaml is not on the test classpath");
      }
      return new ContractDocument(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public Map<String, Object> root() {
    return root;
  }

  public List<Operation> operations() {
    return operations;
  }

  /** The operation a request reached, by method and raw path (query ignored). */
  public Optional<Operation> operation(String method, String rawPath) {
    String path = rawPath.split("\\?", 2)[0];
    return operations.stream().filter(o -> o.method().equalsIgnoreCase(method) && o.pattern().matcher(path).matches()).findFirst();
  }

  /** Follows a local {@code $ref} (one or several hops); a node without one comes back as it is. */
  public Map<String, Object> resolve(Map<String, Object> node) {
    Map<String, Object> current = node;
    for (int hops = 0; current.get("$ref") instanceof String ref; hops++) {
      if (hops > 10) {
        throw new IllegalStateException("$ref cycle at " + ref);
      }
      current = map(pointer(ref).orElseThrow(() -> new IllegalStateException("unresolved $ref " + ref)));
    }
    return current;
  }

  /** The node a local JSON pointer ({@code #/components/...}) names, if any. */
  public Optional<Object> pointer(String ref) {
    if (!ref.startsWith("#/")) {
      return Optional.empty();
    }
    Object node = root;
    for (String part : ref.substring(2).split("/")) {
      String key = part.replace("~1", "/").replace("~0", "~");
      if (!(node instanceof Map<?, ?> m) || !m.containsKey(key)) {
        return Optional.empty();
      }
      node = m.get(key);
    }
    return Optional.ofNullable(node);
  }

  /** Media types a response declares (empty: no body). */
  public static Set<String> mediaTypes(Map<String, Object> response) {
    return new TreeSet<>(map(response.get("content")).keySet());
  }

  @SuppressWarnings("unchecked")
  public static Map<String, Object> map(Object o) {
    return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  private static Pattern pattern(String template) {
    StringBuilder regex = new StringBuilder();
    for (String part : template.split("(?=\\{)|(?<=\\})")) {
      regex.append(part.startsWith("{") && part.endsWith("}") ? "[^/]+" : Pattern.quote(part));
    }
    return Pattern.compile(regex.toString());
  }
}
