package ai.clipper.management.launcher.process;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * The file a process replica's stdout and stderr are appended to, and the one rotation before it.
 * The process writes the file itself (so it outlives a restart of this service), which is why it
 * is rotated as logrotate's {@code copytruncate} does: copied to {@code <log>.1}, then truncated;
 * the process's next append (O_APPEND) lands at the new end.
 */
record ReplicaLog(Path file) {

  static final String SUFFIX = ".log";

  Path rotated() {
    return file.resolveSibling(file.getFileName() + ".1");
  }

  /** The last {@code count} lines, of the rotated copy and the file; none when there are none. */
  List<String> tail(int count) {
    Deque<String> last = new ArrayDeque<>(count);
    for (Path part : List.of(rotated(), file)) {
      // a reader built on a Charset replaces bytes that are not UTF-8 instead of failing
      try (BufferedReader lines = new BufferedReader(new InputStreamReader(
          Files.newInputStream(part), StandardCharsets.UTF_8))) {
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
          if (last.size() == count) {
            last.removeFirst();
          }
          last.addLast(line);
        }
      } catch (IOException missingOrUnreadable) {
        // not written yet, or rotated meanwhile: what was read stands
      }
    }
    return List.copyOf(last);
  }

  /** Rotates the file when it is larger than {@code maxBytes}; a few lines may fall in between. */
  void rotateIfLargerThan(long maxBytes) throws IOException {
    if (!Files.isRegularFile(file) || Files.size(file) <= maxBytes) {
      return;
    }
    Files.copy(file, rotated(), StandardCopyOption.REPLACE_EXISTING);
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.truncate(0);
    }
  }
}
