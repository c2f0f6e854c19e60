package org.govshare.access;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LineSplitterTest {
  private final List<String> seen = new ArrayList<>();
  private final LineSplitter splitter = new LineSplitter(16, new LineSplitter.Sink() {
    @Override
    public void line(long number, String text) {
      seen.add(number + ":" + text);
    }

    @Override
    public void tooLong(long number, long bytes) {
      seen.add(number + ":TOO LONG " + bytes);
    }
  });

  @ParameterizedTest(name = "chunks of {0} bytes")
  @ValueSource(ints = {1, 2, 3, 7, 100})
  void feed_splitsLinesWhateverTheChunking(int chunk) {
    byte[] all = "{\"a\":\"身份\"}\r\n\nsecond\nthis line is far too long for the bound\nlast".getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < all.length; i += chunk) {
      splitter.feed(Buffer.buffer().appendBytes(all, i, Math.min(chunk, all.length - i)));
    }
    splitter.finish();
    assertThat(seen).containsExactly("1:{\"a\":\"身份\"}", "2:", "3:second", "4:TOO LONG 39", "5:last");
  }

  @Test
  void finish_addsNothingAfterAFinalNewline() {
    splitter.feed(Buffer.buffer("one\n"));
    splitter.finish();
    assertThat(seen).containsExactly("1:one");
  }
}
