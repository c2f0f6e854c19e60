package org.govshare.platform.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.govshare.testing.ContractCoverage;
import org.govshare.testing.ContractDocument;
import org.govshare.testing.ContractDocument.Operation;
import org.junit.jupiter.api.Test;

/**
 * Keeps openapi.yaml a valid, honest contract: what the linters (redocly, spectral) and a
 * validating proxy check by hand is checked here in every build.
 */
class ContractTest {
  /** Keywords a schema may use (JSON Schema 2020-12 as OpenAPI 3.1 has it); anything else is a typo or a YAML accident. */
  private static final Set<String> SCHEMA_KEYWORDS = Set.of("$ref", "$id", "$schema", "$comment", "$defs", "type", "enum", "const",
      "format", "description", "title", "default", "examples", "example", "readOnly", "writeOnly", "deprecated", "properties",
      "additionalProperties", "unevaluatedProperties", "patternProperties", "propertyNames", "required", "dependentRequired",
      "items", "prefixItems", "minItems", "maxItems", "uniqueItems", "contains", "minLength", "maxLength", "pattern", "minimum",
      "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "minProperties", "maxProperties", "allOf", "anyOf", "oneOf",
      "not", "if", "then", "else", "discriminator", "xml", "externalDocs", "contentMediaType", "contentEncoding");
  private static final Set<String> ALWAYS = Set.of("400", "413", "429", "431", "503");

  private final ContractDocument doc = ContractDocument.shipped();

  @Test
  void contract_isOpenApi31AndLoadsInTheServersValidator() throws Exception {
    assertThat(String.valueOf(doc.root().get("openapi"))).startsWith("3.1.");
    Vertx vertx = Vertx.vertx();
    try {
      Contract contract = Contract.load(vertx, Contract.readYaml()).toCompletionStage().toCompletableFuture().get();
      assertThat(contract.openApi().operations()).hasSize(doc.operations().size());
    } finally {
      vertx.close();
    }
  }

  @Test
  void operations_haveUniqueIdsSummariesTagsAndResponses() {
    assertThat(doc.operations()).hasSizeGreaterThanOrEqualTo(43);
    Set<String> ids = new HashSet<>();
    for (Operation op : doc.operations()) {
      assertThat(op.operationId()).as("operationId of %s %s", op.method(), op.path()).isNotBlank();
      assertThat(ids.add(op.operationId())).as("%s is used twice", op.operationId()).isTrue();
      assertThat((String) op.node().get("summary")).as("summary of %s", op.operationId()).isNotBlank();
      assertThat((List<?>) op.node().get("tags")).as("tags of %s", op.operationId()).isNotEmpty();
    }
  }

  @Test
  void operations_declareTheRefusalsEveryRequestCanMeet() {
    List<String> missing = new ArrayList<>();
    for (Operation op : doc.operations()) {
      Set<String> declared = op.responses(doc).keySet();
      Set<String> expected = new HashSet<>(ALWAYS);
      boolean open = op.node().get("security") instanceof List<?> s && s.stream().anyMatch(r -> r instanceof Map<?, ?> m && m.isEmpty());
      if (!open) {
        expected.add("401");
      }
      if (op.node().containsKey("requestBody")) {
        expected.add("415");
      }
      if (op.parameters() > 0 && !op.path().endsWith("/calendar/{year}")) { // every year in range exists
        expected.add("404");
      }
      expected.removeAll(declared);
      if (!expected.isEmpty()) {
        missing.add(op.operationId() + " lacks " + new java.util.TreeSet<>(expected));
      }
    }
    assertThat(missing).isEmpty();
  }

  @Test
  void responses_declareTheHeadersTheServerSends() {
    List<String> missing = new ArrayList<>();
    for (Operation op : doc.operations()) {
      op.responses(doc).forEach((status, response) -> {
        assertThat((String) response.get("description")).as("description of %s %s", op.operationId(), status).isNotBlank();
        Map<String, Object> headers = ContractDocument.map(response.get("headers"));
        if (!headers.containsKey("X-Request-Id")) {
          missing.add(op.operationId() + " " + status + ": X-Request-Id");
        }
        if ("201".equals(status) && !headers.containsKey("Location")) {
          missing.add(op.operationId() + " 201: Location");
        }
        if (Set.of("429", "503").contains(status) && !headers.containsKey("Retry-After")) {
          missing.add(op.operationId() + " " + status + ": Retry-After");
        }
        if (status.startsWith("4") || status.startsWith("5")) {
          assertThat(ContractDocument.mediaTypes(response)).as("%s %s", op.operationId(), status).containsExactly("application/problem+json");
        }
      });
    }
    assertThat(missing).isEmpty();
  }

  @Test
  void everyRefResolves_andNoSchemaHasJunkKeys() {
    assertThat(problems(doc)).isEmpty();
  }

  @Test
  void theStructureCheck_findsAnUnquotedCommaAndADanglingRef() {
    ContractDocument broken = new ContractDocument("""
        openapi: 3.1.0
        info: {title: t, version: "1"}
        paths: {}
        components:
          schemas:
            A:
              type: object
              properties:
                n: {type: integer, description: in search results, which leave out the items}
                b: {$ref: '#/components/schemas/Missing'}
        """);
    assertThat(problems(broken)).anySatisfy(p -> assertThat(p).contains("which leave out the items"))
        .anySatisfy(p -> assertThat(p).contains("#/components/schemas/Missing"));
  }

  @Test
  void theCoverageCheck_refusesAStatusAnOperationDoesNotDeclare() {
    var problems = ContractCoverage.problems(doc, List.of(
        new ContractCoverage.Exchange("POST", "/api/v1/departments", 418, "application/problem+json", true),
        new ContractCoverage.Exchange("GET", "/api/v1/grants/check?resource=x", 200, "text/html", true),
        new ContractCoverage.Exchange("GET", "/api/v1/grants/grt-1", 404, "application/problem+json", true)));
    assertThat(problems).hasSize(2);
    assertThat(problems.get(0)).startsWith("createDepartment").contains("418");
    assertThat(problems.get(1)).startsWith("checkGrant").contains("text/html");
    assertThat(ContractCoverage.problems(doc, List.of(new ContractCoverage.Exchange("GET", "/api/v1/nowhere", 404, null, false))))
        .singleElement().asString().contains("matched no operation");
  }

  private static List<String> problems(ContractDocument doc) {
    List<String> problems = new ArrayList<>();
    walk(doc, doc.root(), "#", false, problems);
    return problems;
  }

  /** Visits the tree: every $ref must resolve, every schema may use schema keywords only, and no value may be empty. */
  private static void walk(ContractDocument doc, Object node, String at, boolean schema, List<String> problems) {
    if (node instanceof Map<?, ?> map) {
      for (Map.Entry<?, ?> e : map.entrySet()) {
        String key = String.valueOf(e.getKey());
        Object value = e.getValue();
        String here = at + "/" + key;
        if ("$ref".equals(key) && (!(value instanceof String ref) || doc.pointer(ref).isEmpty())) {
          problems.add(here + ": unresolved " + value);
        }
        if (schema && !SCHEMA_KEYWORDS.contains(key) && !key.startsWith("x-")) {
          problems.add(here + ": '" + key + "' is not a schema keyword");
        }
        if (value == null && !"default".equals(key) && !"const".equals(key)) {
          problems.add(here + ": empty value");
        }
        walk(doc, value, here, isSchema(schema, key, at), problems);
      }
    } else if (node instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        walk(doc, list.get(i), at + "/" + i, schema, problems); // allOf/anyOf/oneOf/prefixItems hold schemas, enum/required/type values
      }
    }
  }

  /** Whether the value under {@code key}, in the map at {@code parent}, is a schema (or a list of them). */
  private static boolean isSchema(boolean parentIsSchema, String key, String parent) {
    if (parentIsSchema) {
      return Set.of("items", "additionalProperties", "unevaluatedProperties", "not", "if", "then", "else", "contains",
          "propertyNames", "allOf", "anyOf", "oneOf", "prefixItems").contains(key);
    }
    return "schema".equals(key) || "#/components/schemas".equals(parent) || parent.endsWith("/properties")
        || parent.endsWith("/patternProperties") || parent.endsWith("/$defs");
  }
}
