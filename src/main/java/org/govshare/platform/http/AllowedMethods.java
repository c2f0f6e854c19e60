package org.govshare.platform.http;

import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The methods each path answers, for the {@code Allow} header RFC 9110 requires on a 405: the
 * contract's operations plus the fixed routes outside it (health, metrics, contract, docs).
 */
final class AllowedMethods {
  private record Template(Pattern path, Set<String> methods) {}

  private final List<Template> templates = new ArrayList<>();

  AllowedMethods(OpenAPIContract contract, Map<String, Set<String>> fixed) {
    for (io.vertx.openapi.contract.Path path : contract.getPaths()) {
      Set<String> methods = new TreeSet<>();
      for (Operation op : path.getOperations()) {
        methods.add(op.getHttpMethod().name());
      }
      templates.add(new Template(pattern(path.getName()), methods));
    }
    fixed.forEach((path, methods) -> templates.add(new Template(pattern(path), Set.copyOf(methods))));
  }

  /** The methods of every template the path matches (several may: {code} and {classification}/{sequence}), or empty. */
  String allow(String path) {
    Set<String> methods = new TreeSet<>();
    for (Template t : templates) {
      if (t.path().matcher(path).matches()) {
        methods.addAll(t.methods());
      }
    }
    return String.join(", ", methods);
  }

  private static Pattern pattern(String template) {
    StringBuilder regex = new StringBuilder();
    for (String part : template.split("(?=\\{)|(?<=\\})")) {
      regex.append(part.startsWith("{") && part.endsWith("}") ? "[^/]+" : Pattern.quote(part));
    }
    return Pattern.compile(regex.toString());
  }
}
