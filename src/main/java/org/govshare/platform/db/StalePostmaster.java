package org.govshare.platform.db;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After {@code kill -9} of govshare its embedded postmaster keeps running and holds the data
 * directory. Called with the data-directory lock held, so a live postmaster found here is ours and
 * orphaned: stop it (fast shutdown, as pg_ctl does) before starting a new one.
 */
final class StalePostmaster {
  private static final Logger LOG = LoggerFactory.getLogger(StalePostmaster.class);

  private StalePostmaster() {}

  static OptionalLong pid(Path pgData) {
    try {
      List<String> lines = Files.readAllLines(pgData.resolve("postmaster.pid"), StandardCharsets.UTF_8);
      return lines.isEmpty() ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(lines.get(0).trim()));
    } catch (IOException | NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  static void stopIfRunning(Path pgData) throws IOException {
    Path pidFile = pgData.resolve("postmaster.pid");
    if (!Files.exists(pidFile)) {
      return;
    }
    OptionalLong pid = pid(pgData);
    Optional<ProcessHandle> process = pid.isPresent() ? ProcessHandle.of(pid.getAsLong()) : Optional.empty();
    if (process.isEmpty() || !process.get().isAlive()) {
      LOG.info("{} names no running process (the last stop was not clean); PostgreSQL will recover", pidFile);
      return;
    }
    Optional<String> command = process.get().info().command();
    if (command.isPresent() && !command.get().contains("postgres")) {
      // the number now belongs to an unrelated process, which would make PostgreSQL refuse to start
      LOG.warn("{} names pid {}, now {}: not a PostgreSQL server; removing the stale file", pidFile, pid.getAsLong(), command.get());
      Files.delete(pidFile);
      return;
    }
    LOG.warn("found a PostgreSQL server (pid {}) still running on {}, left by a govshare that did not stop cleanly; stopping it",
        pid.getAsLong(), pgData);
    if (!pgCtlStop(command, pgData)) {
      process.get().destroy(); // SIGTERM: a smart shutdown, and its clients died with the old server
    }
    try {
      process.get().onExit().get(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // reported below
    }
    if (process.get().isAlive()) {
      throw new IOException("the PostgreSQL server left running on " + pgData + " (pid " + pid.getAsLong()
          + ") did not stop within 60 s; stop it by hand");
    }
    LOG.info("stopped the left-over PostgreSQL server (pid {}); starting a new one on {}", pid.getAsLong(), pgData);
  }

  private static boolean pgCtlStop(Optional<String> postgres, Path pgData) {
    if (postgres.isEmpty()) {
      return false;
    }
    Path bin = Path.of(postgres.get()).getParent();
    Path pgCtl = bin.resolve(postgres.get().endsWith(".exe") ? "pg_ctl.exe" : "pg_ctl");
    if (!Files.isExecutable(pgCtl)) {
      return false;
    }
    try {
      Process p = new ProcessBuilder(pgCtl.toString(), "stop", "-D", pgData.toString(), "-m", "fast", "-w", "-t", "60")
          .redirectErrorStream(true).start();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      int exit = p.waitFor();
      LOG.debug("pg_ctl stop ({}): {}", exit, output);
      return exit == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
