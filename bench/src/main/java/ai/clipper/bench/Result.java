package ai.clipper.bench;

import java.util.Locale;

/**
 * One measured point: counts over the measured period and latency percentiles in ms. Stored as
 * one tab-separated line so that a run's points, each from its own load-generator process, can be
 * put into one table at the end.
 */
record Result(String scenario, String label, String mode, double seconds, long ok, long defaults,
    long non200, long errors, long unfinished, double p50, double p99, double p999, double max) {

  /** 200 answers per second, defaults included. */
  double throughput() {
    return seconds > 0 ? (ok + defaults) / seconds : 0;
  }

  /** Non-default answers per second: what a user would call useful work. */
  double goodput() {
    return seconds > 0 ? ok / seconds : 0;
  }

  /** Share of the 200 answers that were defaults, in percent. */
  double defaultPercent() {
    long answers = ok + defaults;
    return answers == 0 ? 0 : 100.0 * defaults / answers;
  }

  /** Everything that was not a 200: other statuses, transport errors, queries never answered. */
  long failures() {
    return non200 + errors + unfinished;
  }

  /** The concurrency of a closed-loop point, or -1. */
  int concurrency() {
    return mode.startsWith("closed c=") ? Integer.parseInt(mode.substring("closed c=".length())) : -1;
  }

  String toLine() {
    return String.join("\t", scenario, label, mode, fmt(seconds), Long.toString(ok),
        Long.toString(defaults), Long.toString(non200), Long.toString(errors),
        Long.toString(unfinished), fmt(p50), fmt(p99), fmt(p999), fmt(max));
  }

  static Result fromLine(String line) {
    String[] f = line.split("\t");
    if (f.length != 13) {
      throw new IllegalArgumentException("not a result line: " + line);
    }
    return new Result(f[0], f[1], f[2], Double.parseDouble(f[3]), Long.parseLong(f[4]),
        Long.parseLong(f[5]), Long.parseLong(f[6]), Long.parseLong(f[7]), Long.parseLong(f[8]),
        Double.parseDouble(f[9]), Double.parseDouble(f[10]), Double.parseDouble(f[11]),
        Double.parseDouble(f[12]));
  }

  private static String fmt(double x) {
    return String.format(Locale.ROOT, "%.4f", x);
  }
}
