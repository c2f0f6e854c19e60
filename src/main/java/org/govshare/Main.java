package org.govshare;

import org.govshare.tools.AuditBenchmark;
import org.govshare.tools.CatalogSeeder;
import org.govshare.tools.AdminSecretReset;
import org.govshare.platform.CannotStart;
import org.govshare.platform.config.GovshareConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

public final class Main {
  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  private Main() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("bench-audit")) {
      AuditBenchmark.main(java.util.Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    if (args.length > 0 && args[0].equals("seed-catalog")) {
      CatalogSeeder.main(java.util.Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    if (args.length > 0 && args[0].equals("reset-admin-secret")) {
      AdminSecretReset.main(java.util.Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    GovshareConfig config;
    try {
      config = GovshareConfig.fromEnvironment();
    } catch (IllegalStateException e) {
      System.err.println("govshare: configuration error: " + e.getMessage());
      System.exit(2);
      return;
    }
    Platform platform;
    try {
      platform = Platform.start(config);
    } catch (CannotStart e) {
      LOG.error("cannot start: {}", e.getMessage());
      System.exit(1);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      LOG.info("shutting down");
      platform.stop();
    }, "govshare-shutdown"));
  }
}
