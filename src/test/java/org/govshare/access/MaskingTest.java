package org.govshare.access;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class MaskingTest {

  @ParameterizedTest(name = "{0}: {1} -> {2}")
  @CsvSource({
      "citizen_id_number, 410727199003071234, 410727********1234",
      "citizen_id_number, 11010519491231002X, 110105********002X",
      "unified_social_credit_code, 91330106MA2CFUB83E, 91330106********3E",
      "mobile_phone_number, 13812345678, 138****5678",
      "person_name, 张三, 张*",
      "person_name, 欧阳娜娜, 欧***",
      "person_name, 李, *",
      "bank_account_number, 6222020200112233445, 6222***********3445",
      ", 浙江省杭州市西湖区文三路100号, 浙江省**********00号",
      ", abcdefgh, ab****gh",
      ", abc, ***",
      ", 12, **"})
  void mask_keepsTheDocumentedPrefixAndSuffix(String element, String value, String expected) {
    assertThat(Masking.mask(element, value)).isEqualTo(expected);
  }

  @Test
  void mask_hidesNonTextEntirely() {
    assertThat(Masking.mask(null, 12345)).isEqualTo("***");
    assertThat(Masking.mask(null, true)).isEqualTo("***");
    assertThat(Masking.mask("citizen_id_number", null)).isNull();
  }

  @Test
  void mask_neverShowsAShortValueWhole() {
    // the rule keeps 6 + 4, more than the value has
    assertThat(Masking.mask("citizen_id_number", "12345678")).isEqualTo("12******");
  }
}
