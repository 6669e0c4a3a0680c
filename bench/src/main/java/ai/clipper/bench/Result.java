package ai.clipper.bench;

import java.util.Locale;

/**
 * One measured point: counts over the measured period and latency percentiles in ms. Stored as
 * one tab-separated line so that a run's points, each from its own load-generator process, can be
 * put into one table at the end.
 *
 * @param offered queries due per second (open loop) or sent per second (closed loop)
 * @param rejected 503s with Retry-After (an app's opted-in rejection under overload)
 * @param late answers later than the point's lateness bound (the SLO + 5 ms), -1 if it had none
 * @param p50 latency percentiles and maximum of every answer (any status), not of transport errors
 */
record Result(String scenario, String label, String mode, double seconds, double offered, long ok,
    long defaults, long rejected, long non200, long errors, long unfinished, long late, double p50,
    double p99, double p999, double max) {

  private static final int FIELDS = 16;

  /** 200 answers per second, defaults included. */
  double throughput() {
    return perSecond(ok + defaults);
  }

  /** Non-default answers per second: what a user would call useful work. */
  double goodput() {
    return perSecond(ok);
  }

  double defaultsPerSecond() {
    return perSecond(defaults);
  }

  double rejectedPerSecond() {
    return perSecond(rejected);
  }

  /** Share of the 200 answers that were defaults, in percent. */
  double defaultPercent() {
    long answers = ok + defaults;
    return answers == 0 ? 0 : 100.0 * defaults / answers;
  }

  /** Every answer, whatever its status. */
  long answers() {
    return ok + defaults + rejected + non200;
  }

  /** Share of the answers later than the lateness bound, in percent; NaN without a bound. */
  double latePercent() {
    return late < 0 || answers() == 0 ? Double.NaN : 100.0 * late / answers();
  }

  /** Everything that was not a 200: 503s, other statuses, transport errors, queries never answered. */
  long failures() {
    return rejected + errorsBeyondRejections();
  }

  /** Failures other than opted-in 503s: what no app asked for. */
  long errorsBeyondRejections() {
    return non200 + errors + unfinished;
  }

  /** The concurrency of a closed-loop point, or -1. */
  int concurrency() {
    return mode.startsWith("closed c=") ? Integer.parseInt(mode.substring("closed c=".length())) : -1;
  }

  private double perSecond(long count) {
    return seconds > 0 ? count / seconds : 0;
  }

  /** The original rows' fields keep their places (bench/paper/run reads them so); then the rest. */
  String toLine() {
    return String.join("\t", scenario, label, mode, fmt(seconds), Long.toString(ok),
        Long.toString(defaults), Long.toString(non200), Long.toString(errors),
        Long.toString(unfinished), fmt(p50), fmt(p99), fmt(p999), fmt(max), fmt(offered),
        Long.toString(rejected), Long.toString(late));
  }

  static Result fromLine(String line) {
    String[] f = line.split("\t");
    if (f.length != FIELDS) {
      throw new IllegalArgumentException("not a result line: " + line);
    }
    return new Result(f[0], f[1], f[2], Double.parseDouble(f[3]), Double.parseDouble(f[13]),
        Long.parseLong(f[4]), Long.parseLong(f[5]), Long.parseLong(f[14]), Long.parseLong(f[6]),
        Long.parseLong(f[7]), Long.parseLong(f[8]), Long.parseLong(f[15]),
        Double.parseDouble(f[9]), Double.parseDouble(f[10]), Double.parseDouble(f[11]),
        Double.parseDouble(f[12]));
  }

  private static String fmt(double x) {
    return String.format(Locale.ROOT, "%.4f", x);
  }
}
