package ai.clipper.management.launcher.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A process replica's log stays bounded and its tail spans the rotation. */
class ReplicaLogTest {

  @TempDir
  Path dir;

  @Test
  void tailsTheLastLinesAcrossTheRotatedCopyAndTheFile() throws IOException {
    ReplicaLog log = new ReplicaLog(dir.resolve("sum-1-1.log"));
    Files.writeString(log.file(), lines(1, 10));
    log.rotateIfLargerThan(10);
    Files.writeString(log.file(), lines(11, 12), StandardOpenOption.APPEND);

    assertThat(log.tail(4)).containsExactly("line 9", "line 10", "line 11", "line 12");
    assertThat(log.tail(100)).hasSize(12).startsWith("line 1");
  }

  @Test
  void rotatesOnlyAFileLargerThanItsMaximum() throws IOException {
    ReplicaLog log = new ReplicaLog(dir.resolve("sum-1-1.log"));
    Files.writeString(log.file(), lines(1, 3));

    log.rotateIfLargerThan(1_000);
    assertThat(Files.exists(log.rotated())).isFalse();

    log.rotateIfLargerThan(5);
    assertThat(Files.size(log.file())).isZero();
    assertThat(Files.readString(log.rotated())).isEqualTo(lines(1, 3));
  }

  @Test
  void keepsTheEndOfAWriterThatAppendsAfterTheTruncation() throws IOException {
    ReplicaLog log = new ReplicaLog(dir.resolve("sum-1-1.log"));
    try (var writer = Files.newBufferedWriter(log.file(), StandardOpenOption.CREATE,
        StandardOpenOption.APPEND)) {
      writer.write(lines(1, 50));
      writer.flush();
      log.rotateIfLargerThan(10);
      writer.write("after rotation\n");
    }

    assertThat(Files.readString(log.file())).isEqualTo("after rotation\n");
  }

  @Test
  void hasNoLinesBeforeTheReplicaWroteAny() {
    assertThat(new ReplicaLog(dir.resolve("never.log")).tail(10)).isEmpty();
  }

  @Test
  void replacesBytesThatAreNotUtf8() throws IOException {
    ReplicaLog log = new ReplicaLog(dir.resolve("binary.log"));
    Files.write(log.file(), new byte[] {'o', 'k', (byte) 0xff, '\n', 'n', 'e', 'x', 't', '\n'});

    assertThat(log.tail(10)).containsExactly("ok\uFFFD", "next");
  }

  private static String lines(int from, int to) {
    return IntStream.rangeClosed(from, to).mapToObj(i -> "line " + i + "\n")
        .collect(Collectors.joining());
  }
}
