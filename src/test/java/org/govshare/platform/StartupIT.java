package org.govshare.platform;

import org.govshare.Platform;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import org.govshare.platform.config.GovshareConfig;
import org.govshare.testing.TestServer;
import org.junit.jupiter.api.Test;

class StartupIT {

  @Test
  void aBusyHttpPort_isNamedBeforeTheDatabaseStartsOrMigrates() throws Exception {
    Path dir = TestServer.tempDataDir();
    try (ServerSocket busy = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      String port = String.valueOf(busy.getLocalPort());
      assertThatThrownBy(() -> Platform.start(GovshareConfig.with(Map.of("http.port", port, "http.host", "127.0.0.1",
              "data.dir", dir.toString()))))
          .isInstanceOf(CannotStart.class)
          .hasMessageContaining("HTTP port " + port);
    }
    assertThat(dir.resolve("pg")).doesNotExist();
  }
}
