package org.govshare.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.time.ZoneId;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ResidentIdTest {
  private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");

  /** A valid ID for the address code, birth date and sequence. */
  static String valid(String area, String birth, String sequence) {
    String first17 = area + birth + sequence;
    return first17 + ResidentId.checkCharacter(first17);
  }

  @ParameterizedTest
  @ValueSource(strings = {"11010519491231002X", "440524188001010014", "410727199003071234"})
  void problem_acceptsValidIds(String id) {
    String fixed = id.substring(0, 17) + ResidentId.checkCharacter(id.substring(0, 17));
    assertThat(ResidentId.problem(fixed, ZONE)).isNull();
  }

  @Test
  void checkCharacter_followsGb11643() {
    // the standard's own example
    assertThat(ResidentId.checkCharacter("11010519491231002")).isEqualTo('X');
    assertThat(ResidentId.checkCharacter("44052418800101001")).isEqualTo('4');
  }

  @ParameterizedTest
  @CsvSource({
      "11010519491231002Y, check character",
      "110105194912310021, check character",
      "11010519490230002X, not a real birth date",
      "11010519491331002X, not a real birth date",
      "1101051949123100, 18 characters",
      "1101051949123100A2, must be a digit",
      "110105179912310021, not possible"})
  void problem_namesWhatIsWrong(String id, String expected) {
    assertThat(ResidentId.problem(id, ZONE)).contains(expected);
  }

  @Test
  void problem_refusesBirthInTheFuture() {
    String birth = LocalDate.now(ZONE).plusDays(2).toString().replace("-", "");
    assertThat(ResidentId.problem(valid("410727", birth, "123"), ZONE)).contains("not possible");
  }

  @Test
  void normalise_upperCasesTheCheckCharacter() {
    assertThat(ResidentId.normalise(" 11010519491231002x ")).isEqualTo("11010519491231002X");
    assertThat(ResidentId.problem(ResidentId.normalise("11010519491231002x"), ZONE)).isNull();
  }
}
