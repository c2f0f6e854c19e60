package org.govshare.identity;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CreditCodeTest {

  @Test
  void problem_acceptsPublishedCodes() {
    assertThat(CreditCode.problem("91350100M000100Y43")).isNull();
    assertThat(CreditCode.problem("91110000600037341L")).isNull();
  }

  @Test
  void problem_namesTheExpectedCheckCharacter() {
    assertThat(CreditCode.problem("91350100M000100Y44")).contains("'3'");
  }

  @Test
  void problem_refusesWrongLengthAndLetters() {
    assertThat(CreditCode.problem("9135010")).contains("18 characters");
    assertThat(CreditCode.problem("91350100I000100Y43")).contains("character 9");
  }

  @Test
  void checkCharacter_roundTrips() {
    String first17 = "12330100MB0Y12345";
    String code = first17 + CreditCode.checkCharacter(first17);
    assertThat(CreditCode.problem(code)).isNull();
  }
}
