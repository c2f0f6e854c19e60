package org.govshare.sharing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.govshare.catalog.SharedItem;
import org.govshare.catalog.SharedResource;
import org.govshare.platform.Problem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class SharingRulesTest {
  private static final String CODE = "2/000123";

  private static SharedResource resource(String status, String shareType, SharedItem... items) {
    return new SharedResource(CODE, "低保对象信息", "MZJ", status, 3, shareType, "经审批后使用",
        "NOT_SHARED".equals(shareType) ? "《中华人民共和国保守国家秘密法》第九条" : null, List.of(items));
  }

  private static SharedItem item(String key, String shareType) {
    return new SharedItem(key, key, shareType, "NOT_SHARED".equals(shareType) ? "《个人信息保护法》第二十八条" : null, false, false);
  }

  private static final SharedResource MIXED = resource("PUBLISHED", "CONDITIONAL",
      item("name", "UNCONDITIONAL"), item("id_number", "CONDITIONAL"), item("income", "CONDITIONAL"), item("health", "NOT_SHARED"));

  private static Problem refusal(Runnable r) {
    try {
      r.run();
    } catch (Problem p) {
      return p;
    }
    throw new AssertionError("expected a refusal");
  }

  @Test
  void application_acceptsConditionalItemsAndSetsUnconditionalOnesApart() {
    SharingRules.Requested r = SharingRules.application(Optional.of(MIXED), CODE, "RSJ", List.of("name", "income", "id_number"));
    assertThat(r.conditional()).containsExactly("income", "id_number");
    assertThat(r.readableDirectly()).containsExactly("name");
  }

  @Test
  void application_refusesUnknownAndDraftResourcesAs404_retiredAs422() {
    assertThat(refusal(() -> SharingRules.application(Optional.empty(), CODE, "RSJ", List.of("x"))).status()).isEqualTo(404);
    assertThat(refusal(() -> SharingRules.application(Optional.of(resource("DRAFT", "CONDITIONAL", item("a", "CONDITIONAL"))), CODE,
        "RSJ", List.of("a"))).status()).isEqualTo(404);
    Problem retired = refusal(() -> SharingRules.application(Optional.of(resource("RETIRED", "CONDITIONAL", item("a", "CONDITIONAL"))),
        CODE, "RSJ", List.of("a")));
    assertThat(retired.status()).isEqualTo(422);
    assertThat(retired.errors().get(0).field()).isEqualTo("resource");
  }

  @Test
  void application_refusesTheConsumersOwnResource() {
    Problem own = refusal(() -> SharingRules.application(Optional.of(MIXED), CODE, "MZJ", List.of("income")));
    assertThat(own.status()).isEqualTo(422);
    assertThat(own.detail()).contains("own department");
  }

  @Test
  void application_refusesNotSharedResourcesAndItemsQuotingTheBasis() {
    Problem resource = refusal(() -> SharingRules.application(Optional.of(resource("PUBLISHED", "NOT_SHARED", item("a", "NOT_SHARED"))),
        CODE, "RSJ", List.of("a")));
    assertThat(resource.status()).isEqualTo(403);
    assertThat(resource.detail()).contains("保守国家秘密法");
    Problem item = refusal(() -> SharingRules.application(Optional.of(MIXED), CODE, "RSJ", List.of("income", "health")));
    assertThat(item.status()).isEqualTo(403);
    assertThat(item.detail()).contains("health").contains("个人信息保护法");
    assertThat(item.toJson(null).getString("notSharedBasis")).contains("个人信息保护法");
  }

  @Test
  void application_refusesUnknownAndRepeatedItemsFieldByField() {
    Problem p = refusal(() -> SharingRules.application(Optional.of(MIXED), CODE, "RSJ", List.of("income", "salary", "income")));
    assertThat(p.status()).isEqualTo(422);
    assertThat(p.errors()).extracting(Problem.FieldError::field).containsExactly("items[1]", "items[2]");
  }

  @Test
  void application_refusesWhatCanBeReadDirectlyWith409() {
    Problem items = refusal(() -> SharingRules.application(Optional.of(MIXED), CODE, "RSJ", List.of("name")));
    assertThat(items.status()).isEqualTo(409);
    assertThat(items.detail()).contains("read them directly");
    Problem open = refusal(() -> SharingRules.application(Optional.of(resource("PUBLISHED", "UNCONDITIONAL",
        item("a", "UNCONDITIONAL"))), CODE, "RSJ", List.of("a")));
    assertThat(open.status()).isEqualTo(409);
    assertThat(open.detail()).contains("shared unconditionally");
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {"          ", "不同意", "同意", "无", "暂无", "no", "n/a", "N / A", "test", "TEST.", "xxx", "...",
      "!!!!!!!!!!!!!!!!", "，。、！？……——", "n / a . . . .", "xxxxxxxxxxxx", "测试测试测试测试", "testtesttest", "1234567890123",
      "ID错误", "abc", "no reason", "Lorem ipsum!", "短理由"})
  void reason_refusesEmptyPlaceholderRepeatedOrTooShortText(String weak) {
    Problem p = refusal(() -> SharingRules.reason("reason", weak));
    assertThat(p.status()).isEqualTo(422);
    assertThat(p.errors()).singleElement().satisfies(e -> {
      assertThat(e.field()).isEqualTo("reason");
      assertThat(e.message()).contains("4 Chinese characters or 10 letters");
    });
  }

  @ParameterizedTest
  @ValueSource(strings = {"使用部门超范围使用", "超范围使用", "涉及隐私", "数据已停更", "该数据涉及未成年人隐私，依法不予提供",
      "purpose does not match the items", "data leaked", "Out of scope", "用途与申请不符 (item 3)", "ID号码错误"})
  void reason_acceptsShortConcreteChineseAndTenLetterLatin(String concrete) {
    assertThat(SharingRules.reason("reason", "  " + concrete + "\n")).isEqualTo(concrete);
  }

  @Test
  void approvedItems_areTheRequestedOnesOrANonEmptySubset() {
    Application a = new Application(1, "app-x", CODE, 3, "RSJ", "MZJ", List.of("income", "id_number"), "核验低保资格", Usage.DATA_VERIFICATION,
        LocalDate.parse("2030-12-31"), Application.Status.PENDING, "c", OffsetDateTime.now(), OffsetDateTime.now(), null, null, null,
        null, null, null, null, null, null);
    assertThat(SharingRules.approvedItems(a, null)).containsExactly("income", "id_number");
    assertThat(SharingRules.approvedItems(a, List.of("id_number"))).containsExactly("id_number");
    assertThat(refusal(() -> SharingRules.approvedItems(a, List.of("name"))).status()).isEqualTo(422);
    assertThat(refusal(() -> SharingRules.approvedItems(a, List.of())).status()).isEqualTo(422);
  }

  @Test
  void validUntil_mustBeFutureAndWithinWhatWasAskedFor() {
    LocalDate today = LocalDate.parse("2026-11-25");
    SharingRules.validUntil("validUntil", null, today, null);
    SharingRules.validUntil("validUntil", LocalDate.parse("2027-01-01"), today, LocalDate.parse("2027-06-30"));
    assertThat(refusal(() -> SharingRules.validUntil("validUntil", today, today, null)).status()).isEqualTo(422);
    assertThat(refusal(() -> SharingRules.validUntil("validUntil", LocalDate.parse("2028-01-01"), today, LocalDate.parse("2027-06-30")))
        .detail()).contains("2027-06-30");
  }
}
