package ai.clipper.management.artifacts;

import ai.clipper.management.config.ManagementProperties;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Model artifacts on disk, content-addressed: each is a file named by its SHA-256 in the data
 * directory ({@code clipper.management.artifacts.dir}), so the same bytes are stored once and a
 * replica can check what it fetched. An upload streams to a temporary file while it is hashed and
 * counted (never whole in memory) and becomes visible only by an atomic rename once complete, so
 * a truncated or oversized upload leaves nothing behind.
 */
@Component
public class ArtifactStore {

  private static final String PREFIX = "sha256:";

  private final Path dir;
  private final long maxSize;

  public ArtifactStore(ManagementProperties properties) {
    this.dir = properties.artifacts().dir();
    this.maxSize = properties.artifacts().maxSize().toBytes();
  }

  /**
   * Stores the bytes of {@code in}.
   *
   * @param expectedSha256 the hex SHA-256 the client computed, checked when present
   * @throws ArtifactTooLargeException past the size limit
   * @throws ArtifactException when the bytes do not match {@code expectedSha256}
   */
  public Artifact store(InputStream in, Optional<String> expectedSha256) throws IOException {
    Files.createDirectories(dir);
    Path partial = Files.createTempFile(dir, "upload-", ".partial");
    try {
      MessageDigest sha256 = sha256();
      long size = 0;
      byte[] buffer = new byte[64 * 1024];
      try (OutputStream out = Files.newOutputStream(partial)) {
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
          size += n;
          if (size > maxSize) {
            throw new ArtifactTooLargeException(maxSize);
          }
          sha256.update(buffer, 0, n);
          out.write(buffer, 0, n);
        }
      }
      String hex = HexFormat.of().formatHex(sha256.digest());
      if (expectedSha256.isPresent() && !expectedSha256.get().equalsIgnoreCase(hex)) {
        throw new ArtifactException("The artifact's SHA-256 is " + hex + ", not "
            + expectedSha256.get() + " as the request said: it was changed or cut on the way");
      }
      Files.move(partial, dir.resolve(hex), StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
      return new Artifact(PREFIX + hex, size);
    } finally {
      Files.deleteIfExists(partial);
    }
  }

  /** The file of a stored artifact; empty for a malformed or unknown digest. */
  public Optional<Path> file(String digest) {
    if (!Artifact.isDigest(digest)) {
      return Optional.empty();
    }
    Path file = dir.resolve(digest.substring(PREFIX.length()));
    return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
  }

  /** Deletes a stored artifact, when there is one. */
  public void delete(String digest) {
    try {
      Optional<Path> file = file(digest);
      if (file.isPresent()) {
        Files.deleteIfExists(file.get());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("No SHA-256 in this JVM", e);
    }
  }
}
