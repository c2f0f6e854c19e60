package org.govshare.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.govshare.testing.CatalogEntries.base;
import static org.govshare.testing.CatalogEntries.item;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class VersionDiffTest {

  @Test
  void between_listsFieldsAndItemsAddedRemovedAndChanged() {
    JsonObject before = CatalogRules.normalize(base("GA", "综合人口信息"));
    JsonObject afterInput = base("GA", "综合人口基础信息");
    afterInput.getJsonArray("items").remove(2);
    afterInput.getJsonArray("items").getJsonObject(1).put("length", 80).put("sensitive", true);
    afterInput.getJsonArray("items").add(item("gender", "性别", "C", 1));
    JsonObject after = CatalogRules.normalize(afterInput);

    JsonObject diff = VersionDiff.between(before, after);
    assertThat(diff.getJsonArray("fields")).hasSize(1);
    assertThat(diff.getJsonArray("fields").getJsonObject(0).getMap())
        .containsEntry("field", "name").containsEntry("from", "综合人口信息").containsEntry("to", "综合人口基础信息");
    JsonObject items = diff.getJsonObject("items");
    assertThat(items.getJsonArray("added").getJsonObject(0).getString("key")).isEqualTo("gender");
    assertThat(items.getJsonArray("removed").getJsonObject(0).getString("key")).isEqualTo("birth_date");
    JsonObject changed = items.getJsonArray("changed").getJsonObject(0);
    assertThat(changed.getString("key")).isEqualTo("name");
    assertThat(changed.getJsonArray("fields")).hasSize(2);
    assertThat(VersionDiff.removedKeys(diff)).containsExactly("birth_date");
    assertThat(VersionDiff.isEmpty(diff)).isFalse();
  }

  @Test
  void between_ignoresThePublishDateAndFindsNothingInEqualVersions() {
    JsonObject v1 = CatalogRules.normalize(base("GA", "x")).put("publishDate", "2026-01-01");
    JsonObject v2 = v1.copy().put("publishDate", "2026-02-01");
    assertThat(VersionDiff.isEmpty(VersionDiff.between(v1, v2))).isTrue();
  }

  @Test
  void between_seesChangesInsideNestedFields() {
    JsonObject v1 = CatalogRules.normalize(base("GA", "x"));
    JsonObject v2 = v1.copy();
    v2.getJsonObject("format").put("subtype", "MySQL");
    assertThat(VersionDiff.between(v1, v2).getJsonArray("fields").getJsonObject(0).getString("field")).isEqualTo("format");
  }
}
