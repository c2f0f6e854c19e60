package org.govshare.platform.db;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.govshare.platform.CannotStart;

/**
 * One govshare server per data directory: an OS lock on {@code govshare.lock}, released by the OS
 * if the process dies, so a lock that is free means nobody else uses the directory (and a running
 * postmaster found there was left behind).
 */
public final class DataDirectoryLock implements AutoCloseable {
  static final String FILE = "govshare.lock";

  private final Path directory;
  private final FileChannel channel;
  private final FileLock lock;

  private DataDirectoryLock(Path directory, FileChannel channel, FileLock lock) {
    this.directory = directory;
    this.channel = channel;
    this.lock = lock;
  }

  public static DataDirectoryLock acquire(Path dataDir) throws IOException {
    Files.createDirectories(dataDir);
    Path file = dataDir.resolve(FILE);
    FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null; // held by this very JVM
    }
    if (lock == null) {
      String holder = Files.readString(file, StandardCharsets.UTF_8).trim();
      channel.close();
      throw new CannotStart("data directory " + dataDir + " is in use by another govshare server"
          + (holder.isEmpty() ? "" : " (pid " + holder + ")")
          + "; stop that one first, or give this one its own GOVSHARE_DATA_DIR");
    }
    channel.truncate(0);
    channel.write(ByteBuffer.wrap(String.valueOf(ProcessHandle.current().pid()).getBytes(StandardCharsets.UTF_8)), 0);
    return new DataDirectoryLock(dataDir, channel, lock);
  }

  public Path directory() {
    return directory;
  }

  @Override
  public void close() throws IOException {
    if (channel.isOpen()) {
      lock.release();
      channel.close();
    }
  }
}
