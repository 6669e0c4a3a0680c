package ai.clipper.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;

/** A temporary directory of a test's own (a process's config, data and log), gone when closed. */
record ScratchDirectory(Path path) implements AutoCloseable {

  /** A new empty directory named after what it is for, e.g. {@code clipper-it-prometheus-}. */
  static ScratchDirectory create(String purpose) {
    try {
      return new ScratchDirectory(Files.createTempDirectory("clipper-it-" + purpose + "-"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Path resolve(String file) {
    return path.resolve(file);
  }

  /** Deletes everything in the directory and keeps the directory itself. */
  void clear() {
    if (!Files.isDirectory(path)) {
      return;
    }
    try (var files = Files.walk(path)) {
      files.sorted(Comparator.reverseOrder()).filter(file -> !file.equals(path))
          .forEach(file -> file.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    clear();
    path.toFile().delete();
  }
}
