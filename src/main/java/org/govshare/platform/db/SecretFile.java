package org.govshare.platform.db;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A generated secret kept in a file only its owner may read (0600). */
final class SecretFile {
  private static final Logger LOG = LoggerFactory.getLogger(SecretFile.class);
  private static final SecureRandom RANDOM = new SecureRandom();
  static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

  private SecretFile() {}

  static String generate() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  static String readOrCreate(Path file) throws IOException {
    if (!Files.exists(file)) {
      String secret = generate();
      write(file, secret);
      return secret;
    }
    if (posix() && !Files.getPosixFilePermissions(file).equals(OWNER_ONLY)) {
      LOG.warn("{} could be read by others ({}); made it readable by its owner only", file,
          PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
      Files.setPosixFilePermissions(file, OWNER_ONLY);
    }
    String secret = Files.readString(file, StandardCharsets.UTF_8).trim();
    if (secret.isEmpty()) {
      throw new IOException(file + " is empty; it must hold the embedded database's password");
    }
    return secret;
  }

  /** Written beside the target and moved into place, so a crash leaves the old file or the new one. */
  static void write(Path file, String secret) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    if (posix()) {
      Files.createFile(tmp, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
    } else {
      Files.createFile(tmp);
    }
    Files.writeString(tmp, secret + "\n", StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static boolean posix() {
    return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  }
}
