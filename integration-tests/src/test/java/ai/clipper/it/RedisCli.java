package ai.clipper.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** {@code redis-cli} against one Redis on this machine: what a test reads or sets up with. */
final class RedisCli {

  private RedisCli() {
  }

  /** Runs one command ({@code -c}: following cluster redirects), its reply as lines. */
  static List<String> run(int port, String... command) {
    List<String> line = new ArrayList<>(List.of("redis-cli", "-c", "-p", Integer.toString(port)));
    line.addAll(List.of(command));
    return exec(line);
  }

  /** Runs {@code redis-cli} with these arguments, e.g. {@code --cluster create}. */
  static List<String> exec(List<String> args) {
    try {
      Process process = new ProcessBuilder(args).redirectErrorStream(true).start();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", args) + " failed: " + out);
      }
      return out.lines().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A field of {@code INFO}, e.g. {@code role}; empty when the node does not answer. */
  static String info(int port, String field) {
    try {
      return run(port, "INFO").stream().filter(l -> l.startsWith(field + ":"))
          .map(l -> l.substring(field.length() + 1).trim()).findFirst().orElse("");
    } catch (IllegalStateException down) {
      return "";
    }
  }
}
