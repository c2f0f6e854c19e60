package org.govshare.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class TextTest {

  @ParameterizedTest
  @ValueSource(strings = {"\u0000", "a\u0007", "\u001b[2J", "\u007f", "\u0085", "a\u202eb", "\u2066", "\uD800", "x\uDC00", "\uDC00\uD800"})
  void check_refusesControlsBidiAndLoneSurrogates(String bad) {
    assertThatThrownBy(() -> Text.check("name", bad)).isInstanceOfSatisfying(Problem.class, p -> {
      assertThat(p.status()).isEqualTo(400);
      assertThat(p.errors().get(0).field()).isEqualTo("name");
    });
  }

  @ParameterizedTest
  @ValueSource(strings = {"\u200b", " ", "\u3000", "\u3164", "\u2800", "\t\n"})
  void check_refusesTextWithNothingVisible(String invisible) {
    assertThatThrownBy(() -> Text.check("name", invisible)).isInstanceOfSatisfying(Problem.class, p -> assertThat(p.status()).isEqualTo(422));
  }

  @Test
  void check_keepsRealText() {
    assertThat(Text.check("summary", "第一行\n第二行\t😀 e\u0301")).isEqualTo("第一行\n第二行\t😀 e\u0301");
    assertThat(Text.check("note", "")).isEmpty();
    assertThatThrownBy(() -> Text.checkLine("q", "a\nb")).isInstanceOf(Problem.class);
    assertThat(Text.length("😀😀")).isEqualTo(2);
  }

  @Test
  void percentDecoded_isStrict() {
    assertThat(Text.percentDecoded("q", "C%2B%2B+%E4%BA%BA")).isEqualTo("C++ 人");
    assertThat(Text.percentDecoded("p", "a+b", false)).isEqualTo("a+b");
    for (String bad : new String[] {"%", "%%", "%G1", "%C3%28", "%ED%A0%80", "%FF", "a%2"}) {
      assertThatThrownBy(() -> Text.percentDecoded("q", bad)).as(bad).isInstanceOf(Problem.class);
    }
  }

  @Test
  void utf8_refusesMalformedBytesInsteadOfReplacingThem() {
    assertThat(Text.utf8("body", "人口".getBytes(StandardCharsets.UTF_8))).isEqualTo("人口");
    assertThatThrownBy(() -> Text.utf8("body", new byte[] {'a', (byte) 0xC3, '('})).isInstanceOf(Problem.class);
  }

  @Test
  void checkJson_namesTheFieldWhereverItIs() {
    JsonObject body = new JsonObject().put("items", new JsonArray().add(new JsonObject().put("name", "ok"))
        .add(new JsonObject().put("name", "bad\u0000")));
    assertThatThrownBy(() -> Text.checkJson("", body))
        .isInstanceOfSatisfying(Problem.class, p -> assertThat(p.errors().get(0).field()).isEqualTo("items[1].name"));
  }
}
