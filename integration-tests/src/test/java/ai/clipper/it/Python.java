package ai.clipper.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Debian's Python, which the example models' run scripts use: what it has, and runs of it. */
final class Python {

  static final String INTERPRETER = "/usr/bin/python3";
  private static final long IMPORT_SECONDS = 30;

  private Python() {
  }

  /** Whether the interpreter imports every one of {@code modules} (e.g. {@code "grpc"}). */
  static boolean canImport(String... modules) {
    try {
      return run(IMPORT_SECONDS, Path.of("."),
          List.of(INTERPRETER, "-c", "import " + String.join(", ", modules))).exitCode() == 0;
    } catch (IOException e) {
      return false;
    }
  }

  /** What a command wrote to stdout; fails when it does not exit 0 within the time allowed. */
  static String output(long seconds, List<String> command) throws IOException {
    return output(seconds, Path.of("."), command);
  }

  /** {@link #output(long, List)} of a command run in {@code directory}. */
  static String output(long seconds, Path directory, List<String> command) throws IOException {
    Ran ran = run(seconds, directory, command);
    if (ran.exitCode() != 0) {
      throw new IllegalStateException(command + " exited " + ran.exitCode() + ": " + ran.stderr());
    }
    return ran.stdout();
  }

  private record Ran(int exitCode, String stdout, String stderr) {
  }

  private static Ran run(long seconds, Path directory, List<String> command)
      throws IOException {
    Path out = Files.createTempFile("clipper-it-python-", ".out");
    Path err = Files.createTempFile("clipper-it-python-", ".err");
    try {
      Process process = new ProcessBuilder(new ArrayList<>(command)).directory(directory.toFile())
          .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return new Ran(-1, "", "timed out after " + seconds + " s");
      }
      return new Ran(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Ran(-1, "", "interrupted");
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }
}
