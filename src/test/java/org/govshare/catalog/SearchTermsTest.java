package org.govshare.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SearchTermsTest {

  @Test
  void grams_areEveryCharacterAndEveryAdjacentPair() {
    assertThat(SearchTerms.grams("综合人口")).containsExactly("综", "综合", "合", "合人", "人", "人口", "口");
    assertThat(SearchTerms.grams("a b")).containsExactly("a", "b");
  }

  @Test
  void queryGrams_useTheCharacterForOneAndPairsForLongerWords() {
    assertThat(SearchTerms.queryGrams(List.of("口"))).containsExactly("口");
    assertThat(SearchTerms.queryGrams(List.of("人口"))).containsExactly("人口");
    assertThat(SearchTerms.queryGrams(List.of("合人口信"))).containsExactly("合人", "人口", "口信");
    assertThat(SearchTerms.queryGrams(List.of("人口", "gdp"))).containsExactly("人口", "gd", "dp");
  }

  @Test
  void likePattern_takesWildcardsInTheWordLiterally() {
    assertThat(SearchTerms.likePattern("人口")).isEqualTo("%人口%");
    assertThat(SearchTerms.likePattern("50%_a\\b")).isEqualTo("%50\\%\\_a\\\\b%");
  }

  @Test
  void words_splitOnWhiteSpaceAndLowerCase() {
    assertThat(SearchTerms.words("  人口  GDP ")).containsExactly("人口", "gdp");
  }

  @Test
  void grams_ofAQueryAreAlwaysAmongTheGramsOfATextContainingIt() {
    String text = "全县综合人口信息（含流动人口）";
    List<String> grams = List.of(SearchTerms.grams(text));
    for (String q : List.of("人", "人口", "综合人口信息", "流动人口", "）")) {
      assertThat(grams).containsAll(List.of(SearchTerms.queryGrams(List.of(q))));
    }
  }
}
