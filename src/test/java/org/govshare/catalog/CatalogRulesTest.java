package org.govshare.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.govshare.testing.CatalogEntries.base;
import static org.govshare.testing.CatalogEntries.departmental;
import static org.govshare.testing.CatalogEntries.item;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.Consumer;
import org.govshare.platform.Problem;
import org.junit.jupiter.api.Test;

class CatalogRulesTest {

  @Test
  void normalize_keepsKnownFieldsAndMakesOptionalOnesExplicit() {
    JsonObject entry = CatalogRules.normalize(base("GA", "  综合人口信息 ").put("code", "ignored").put("publishDate", "2020-01-01"));
    assertThat(entry.getString("name")).isEqualTo("综合人口信息");
    assertThat(entry.containsKey("code")).isFalse();
    assertThat(entry.getValue("publishDate")).isNull();
    assertThat(entry.containsKey("shareCondition")).isTrue();
    JsonObject key = entry.getJsonArray("items").getJsonObject(0);
    assertThat(key.getBoolean("isKey")).isTrue();
    assertThat(key.getBoolean("authoritative")).isFalse();
    assertThat(key.containsKey("shareType")).isTrue();
  }

  @Test
  void normalize_refusesNotSharedWithoutBasis() {
    assertRefused(departmental("GA", "x"), e -> e.put("shareType", "NOT_SHARED").putNull("shareMethod"), "notSharedBasis");
  }

  @Test
  void normalize_refusesConditionalWithoutCondition() {
    assertRefused(departmental("GA", "x"), e -> e.putNull("shareCondition"), "shareCondition");
  }

  @Test
  void normalize_needsShareMethodUnlessNotShared() {
    assertRefused(departmental("GA", "x"), e -> e.putNull("shareMethod"), "shareMethod");
    CatalogRules.normalize(departmental("GA", "x").put("shareType", "NOT_SHARED").put("notSharedBasis", "法").putNull("shareMethod"));
  }

  @Test
  void normalize_baseResourcesAreUnconditionalAndSoAreTheirItems() {
    assertRefused(base("GA", "x"), e -> e.put("shareType", "CONDITIONAL").put("shareCondition", "c"), "shareType");
    assertRefused(base("GA", "x"), e -> e.getJsonArray("items").getJsonObject(2).put("shareType", "NOT_SHARED"), "items[2].shareType");
  }

  @Test
  void normalize_conditionalResourceMayShareItemsToAllOrWithholdThemWithBasis() {
    JsonObject entry = departmental("GA", "x");
    entry.getJsonArray("items").getJsonObject(1).put("shareType", "UNCONDITIONAL");
    entry.getJsonArray("items").getJsonObject(2).put("shareType", "NOT_SHARED").put("notSharedBasis", "法");
    assertThat(CatalogRules.normalize(entry).getJsonArray("items").getJsonObject(2).getString("notSharedBasis")).isEqualTo("法");
    entry.getJsonArray("items").getJsonObject(2).putNull("notSharedBasis");
    assertRefused(entry, e -> {}, "items[2].notSharedBasis");
  }

  @Test
  void normalize_notSharedResourceSharesNoItem() {
    assertRefused(departmental("GA", "x").put("shareType", "NOT_SHARED").put("notSharedBasis", "法"),
        e -> e.getJsonArray("items").getJsonObject(0).put("shareType", "CONDITIONAL"), "items[0].shareType");
  }

  @Test
  void normalize_needsExactlyOneKeyAndUniqueKeys() {
    assertRefused(base("GA", "x"), e -> e.getJsonArray("items").getJsonObject(0).put("isKey", false), "items");
    assertRefused(base("GA", "x"), e -> e.getJsonArray("items").getJsonObject(2).put("isKey", true), "items");
    assertRefused(base("GA", "x"), e -> e.getJsonArray("items").getJsonObject(1).put("key", "id_number"), "items[1].key");
  }

  @Test
  void normalize_refusesClassifiedMissingLengthsAndWrongSubjects() {
    assertRefused(base("GA", "x"), e -> e.put("classified", true), "classified");
    assertRefused(base("GA", "x"), e -> e.getJsonArray("items").add(item("n", "数量", "N", null)), "items[3].length");
    assertRefused(base("GA", "x"), e -> e.put("subject", "WORK_SAFETY"), "subject");
    assertRefused(departmental("GA", "x"), e -> e.put("subject", "HEALTH"), "subject");
  }

  @Test
  void normalize_dataElementsNeedAnAuthorityOrASource() {
    assertRefused(base("GA", "x"), e -> e.getJsonArray("items").getJsonObject(0).put("dataElement", "citizen_id"),
        "items[0].sourceResource");
    assertRefused(base("GA", "x"), e -> e.getJsonArray("items").getJsonObject(0).put("authoritative", true), "items[0].dataElement");
    assertRefused(base("GA", "x"), e -> {
      e.getJsonArray("items").getJsonObject(0).put("dataElement", "citizen_id").put("authoritative", true);
      e.getJsonArray("items").getJsonObject(1).put("dataElement", "citizen_id").put("authoritative", true);
    }, "items[1].authoritative");
  }

  @Test
  void normalize_reportsEveryBrokenRuleAtOnce() {
    JsonObject entry = base("GA", "x").put("classified", true).put("subject", "HEALTH");
    assertThatThrownBy(() -> CatalogRules.normalize(entry))
        .isInstanceOfSatisfying(Problem.class, p -> assertThat(p.errors()).extracting(Problem.FieldError::field)
            .contains("classified", "subject"));
  }

  @Test
  void checkUnchanged_refusesMovingAnEntryToAnotherClassificationOrProvider() {
    JsonObject current = CatalogRules.normalize(base("GA", "x"));
    CatalogRules.checkUnchanged(current, CatalogRules.normalize(base("GA", "y")));
    assertThatThrownBy(() -> CatalogRules.checkUnchanged(current, CatalogRules.normalize(base("MZ", "x"))))
        .isInstanceOfSatisfying(Problem.class, p -> assertThat(p.errors().get(0).field()).isEqualTo("provider"));
  }

  private static void assertRefused(JsonObject valid, Consumer<JsonObject> breakIt, String field) {
    JsonObject entry = valid.copy();
    breakIt.accept(entry);
    assertThatThrownBy(() -> CatalogRules.normalize(entry))
        .isInstanceOfSatisfying(Problem.class, p -> {
          assertThat(p.status()).isEqualTo(422);
          List<String> fields = p.errors().stream().map(Problem.FieldError::field).toList();
          assertThat(fields).contains(field);
        });
  }

  @org.junit.jupiter.api.Test
  void access_keepsOnlyDocumentedBoundedFields() {
    java.util.List<org.govshare.platform.Problem.FieldError> errors = new java.util.ArrayList<>();
    io.vertx.core.json.JsonObject in = new io.vertx.core.json.JsonObject().put("mode", "PROXY").put("endpoint", "https://x.example/api")
        .put("extra", "x").put("description", "d".repeat(4001))
        .put("parameters", new io.vertx.core.json.JsonArray().add(new io.vertx.core.json.JsonObject().put("name", "id").put("blob", 1)));
    CatalogRules.access(in, errors);
    assertThat(errors).extracting(org.govshare.platform.Problem.FieldError::field)
        .containsExactlyInAnyOrder("access.extra", "access.description", "access.parameters[0].blob");
    errors.clear();
    io.vertx.core.json.JsonObject ok = CatalogRules.access(new io.vertx.core.json.JsonObject().put("mode", "HOSTED"), errors);
    assertThat(errors).isEmpty();
    assertThat(ok).isEqualTo(new io.vertx.core.json.JsonObject().put("mode", "HOSTED"));
  }

  @org.junit.jupiter.api.Test
  void csv_neutralisesFormulaCells() {
    for (String formula : new String[] {"=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"}) {
      assertThat(CatalogCsv.neutralised(formula)).isEqualTo("'" + formula);
    }
    assertThat(CatalogCsv.neutralised("人口")).isEqualTo("人口");
    assertThat(CatalogCsv.quote("=a,b")).isEqualTo("\"'=a,b\"");
  }
}
