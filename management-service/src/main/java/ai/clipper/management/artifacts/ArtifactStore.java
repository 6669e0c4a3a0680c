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
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Model artifacts on disk, content-addressed: each is a file named by its SHA-256 in the data
 * directory ({@code clipper.management.artifacts.dir}), so the same bytes are stored once and a
 * replica can check what it fetched. An upload streams to a temporary file while it is hashed and
 * counted (never whole in memory) and becomes visible only by an atomic rename once complete, so
 * a truncated or oversized upload leaves nothing behind.
 *
 * <p>An artifact no model uses is collected, but an upload waits up to {@link #CLAIM_WITHIN} for
 * the {@code add_model} that names it ({@link #claim}), and a claim and a collection never run
 * at once: a model never names an artifact that a concurrent delete took away.
 */
@Component
public class ArtifactStore {

  /** How long an upload is kept for the model that will name it. */
  public static final Duration CLAIM_WITHIN = Duration.ofHours(1);
  private static final Logger LOG = LoggerFactory.getLogger(ArtifactStore.class);
  private static final String PREFIX = "sha256:";
  private static final String PARTIAL = ".partial";

  private final Path dir;
  private final long maxSize;
  private final Clock clock;
  /** Uploads not claimed yet, by digest: when each was stored. */
  private final Map<String, Instant> unclaimed = new ConcurrentHashMap<>();

  @Autowired
  public ArtifactStore(ManagementProperties properties) {
    this(properties.artifacts().dir(), properties.artifacts().maxSize().toBytes(),
        Clock.systemUTC());
  }

  ArtifactStore(Path dir, long maxSize, Clock clock) {
    this.dir = dir;
    this.maxSize = maxSize;
    this.clock = clock;
    // after a restart, what was stored lately may still be waiting for its add_model
    for (Path file : files()) {
      if (Artifact.isDigest(PREFIX + file.getFileName())) {
        unclaimed.put(PREFIX + file.getFileName(), modified(file));
      }
    }
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
    Path partial = Files.createTempFile(dir, "upload-", PARTIAL);
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
      synchronized (this) { // not while a collection decides what to delete
        Files.move(partial, dir.resolve(hex), StandardCopyOption.REPLACE_EXISTING,
            StandardCopyOption.ATOMIC_MOVE);
        unclaimed.put(PREFIX + hex, clock.instant());
      }
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

  /**
   * Runs {@code write}, which makes a model name the stored artifact {@code digest}, with no
   * collection meanwhile; once it has (it returns true), the model keeps the artifact.
   *
   * @return what {@code write} returned
   * @throws ArtifactException when no such artifact is stored
   */
  public synchronized boolean claim(String digest, BooleanSupplier write) {
    if (file(digest).isEmpty()) {
      throw new ArtifactException("No artifact " + digest
          + ": upload it first (POST /admin/upload_artifact)");
    }
    boolean written = write.getAsBoolean();
    if (written) {
      unclaimed.remove(digest);
    }
    return written;
  }

  /**
   * Deletes every stored artifact that no model uses, save uploads not yet {@link #CLAIM_WITHIN}
   * old, and what interrupted uploads left behind.
   *
   * @param inUse the digests the models name, read once this store lets no claim run
   * @return how many artifacts were deleted
   */
  public synchronized int collect(Supplier<Set<String>> inUse) {
    Set<String> used = inUse.get();
    Instant horizon = clock.instant().minus(CLAIM_WITHIN);
    unclaimed.values().removeIf(storedAt -> storedAt.isBefore(horizon));
    int deleted = 0;
    for (Path file : files()) {
      String name = file.getFileName().toString();
      boolean unused = Artifact.isDigest(PREFIX + name) && !used.contains(PREFIX + name)
          && !unclaimed.containsKey(PREFIX + name);
      boolean abandoned = name.endsWith(PARTIAL) && modified(file).isBefore(horizon);
      if ((unused || abandoned) && deleteQuietly(file) && unused) {
        deleted++;
        LOG.info("Deleted artifact {}: no model uses it", PREFIX + name);
      }
    }
    return deleted;
  }

  private List<Path> files() {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Instant modified(Path file) {
    try {
      return Files.getLastModifiedTime(file).toInstant();
    } catch (IOException gone) {
      return Instant.EPOCH;
    }
  }

  private static boolean deleteQuietly(Path file) {
    try {
      return Files.deleteIfExists(file);
    } catch (IOException e) {
      LOG.warn("Could not delete {}: {}", file, e.toString());
      return false;
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
