package org.govshare.access;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.govshare.access.RecordSchema.Checked;
import org.govshare.access.RecordSchema.Item;
import org.govshare.access.RecordSchema.LineError;
import org.govshare.identity.CreditCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RecordSchemaTest {
  private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
  static final String ID = ResidentIdTest.valid("410727", "19900307", "123");

  static RecordSchema person() {
    Map<String, Item> items = new LinkedHashMap<>();
    items.put("id_number", new Item("id_number", "C", 18, "citizen_id_number", "UNCONDITIONAL", true));
    items.put("name", new Item("name", "C", 4, null, "UNCONDITIONAL", false));
    items.put("birth_date", new Item("birth_date", "D", null, null, "UNCONDITIONAL", false));
    items.put("income", new Item("income", "N", 6, null, "CONDITIONAL", false));
    items.put("subsidy", new Item("subsidy", "Y", null, null, "CONDITIONAL", false));
    items.put("alive", new Item("alive", "L", null, null, "CONDITIONAL", false));
    items.put("seen_at", new Item("seen_at", "T", null, null, "CONDITIONAL", false));
    items.put("employer", new Item("employer", "C", 18, "unified_social_credit_code", "CONDITIONAL", false));
    items.put("religion", new Item("religion", "C", 20, null, "NOT_SHARED", false));
    return new RecordSchema("101001/000001", "GA", "PUBLISHED", "HOSTED", 1, "id_number", items);
  }

  private static List<LineError> errorsOf(String line) {
    List<LineError> errors = new ArrayList<>();
    assertThat(person().check(7, new JsonObject(line), ZONE, errors)).isNull();
    return errors;
  }

  @Test
  void check_acceptsAGoodLineInCanonicalForm() {
    String lower = ID.substring(0, 17) + Character.toLowerCase(ID.charAt(17));
    String employer = "91330106MA2CFUB8" + "3";
    employer = employer.substring(0, 17) + CreditCode.checkCharacter(employer.substring(0, 17));
    List<LineError> errors = new ArrayList<>();
    Checked ok = person().check(1, new JsonObject().put("id_number", lower).put("name", "张三").put("birth_date", "1990-03-07")
        .put("income", 123456).put("subsidy", "12.50").put("alive", true).put("seen_at", "2024-05-01T08:00:00+08:00")
        .put("employer", employer.toLowerCase()).put("religion", "无").putNull("name"), ZONE, errors);
    assertThat(errors).isEmpty();
    assertThat(ok.key()).isEqualTo(ID.toUpperCase());
    assertThat(ok.data().getString("employer")).isEqualTo(employer);
    assertThat(ok.data().getValue("subsidy")).isInstanceOf(Number.class);
    assertThat(ok.data().containsKey("name")).isFalse();
    assertThat(ok.data().getString("religion")).isEqualTo("无"); // NOT_SHARED items are the provider's data: kept
    assertThat(ok.asSent()).isFalse();
    assertThat(person().check(2, new JsonObject().put("id_number", ID).put("name", "张三"), ZONE, errors).asSent()).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "broken check character     | {\"id_number\":\"410727199003071239\"} | id_number | check character",
      "impossible birth date      | {\"id_number\":\"410727199002301234\"} | id_number | not a real birth date",
      "unknown item               | {\"id_number\":\"#ID\",\"shoe_size\":42} | shoe_size | not an item",
      "text too long              | {\"id_number\":\"#ID\",\"name\":\"欧阳娜娜娜\"} | name | longer than 4",
      "number as text             | {\"id_number\":\"#ID\",\"income\":\"lots\"} | income | must be a number",
      "too many digits            | {\"id_number\":\"#ID\",\"income\":1234567} | income | more than 6 digits",
      "wrong type for text        | {\"id_number\":\"#ID\",\"name\":42} | name | must be text",
      "impossible date            | {\"id_number\":\"#ID\",\"birth_date\":\"1990-02-30\"} | birth_date | real date",
      "not a boolean              | {\"id_number\":\"#ID\",\"alive\":\"yes\"} | alive | true or false",
      "not a date-time            | {\"id_number\":\"#ID\",\"seen_at\":\"yesterday\"} | seen_at | date-time",
      "bad credit code            | {\"id_number\":\"#ID\",\"employer\":\"91330106MA2CFUB830\"} | employer | check character",
      "key missing                | {\"name\":\"张三\"} | id_number | missing",
      "key null                   | {\"id_number\":null} | id_number | missing",
      "NUL character              | {\"id_number\":\"#ID\",\"name\":\"a\\u0000b\"} | name | U+0000"})
  void check_refusesWithItsReason(String what, String line, String field, String message) {
    List<LineError> errors = errorsOf(line.replace("#ID", ID));
    assertThat(errors).anySatisfy(e -> {
      assertThat(e.line()).isEqualTo(7);
      assertThat(e.field()).isEqualTo(field);
      assertThat(e.message()).contains(message);
    });
  }

  @Test
  void same_comparesCanonicalValues() {
    Map<String, Item> items = person().items();
    assertThat(RecordSchema.same(items.get("id_number"), "11010519491231002X", "11010519491231002x")).isTrue();
    assertThat(RecordSchema.same(items.get("income"), 1200, "1200.00")).isTrue();
    assertThat(RecordSchema.same(items.get("name"), "张三", " 张三 ")).isTrue();
    assertThat(RecordSchema.same(items.get("name"), "张三", "张四")).isFalse();
    assertThat(RecordSchema.same(items.get("alive"), true, false)).isFalse();
    assertThat(RecordSchema.same(items.get("name"), null, "张三")).isFalse();
  }
}
