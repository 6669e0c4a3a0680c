package ai.clipper.it;

import java.util.ArrayList;
import java.util.List;

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
    return ExternalProcess.run(new ProcessBuilder(args).redirectErrorStream(true)).lines()
        .toList();
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
