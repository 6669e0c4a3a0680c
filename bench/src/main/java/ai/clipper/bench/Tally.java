package ai.clipper.bench;

import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Latencies of answers (µs, 3 significant digits) and outcome counts, recorded from many threads
 * at once. A transport error has no latency of an answer: it is counted, not timed.
 */
final class Tally {

  private final Recorder latencies = new Recorder(3);
  private final LongAdder ok = new LongAdder();
  private final LongAdder defaults = new LongAdder();
  private final LongAdder rejected = new LongAdder();
  private final LongAdder non200 = new LongAdder();
  private final LongAdder errors = new LongAdder();

  void record(long latencyNanos, Outcome outcome) {
    if (outcome != Outcome.ERROR) {
      latencies.recordValue(Math.max(1, latencyNanos / 1000));
    }
    switch (outcome) {
      case OK -> ok.increment();
      case DEFAULT -> defaults.increment();
      case REJECTED -> rejected.increment();
      case NON_200 -> non200.increment();
      case ERROR -> errors.increment();
    }
  }

  /** Forgets everything recorded so far (the warm-up). */
  void reset() {
    latencies.reset();
    ok.reset();
    defaults.reset();
    rejected.reset();
    non200.reset();
    errors.reset();
  }

  /** Queries that ended, answered or not. */
  long ended() {
    return ok.sum() + defaults.sum() + rejected.sum() + non200.sum() + errors.sum();
  }

  /**
   * What was recorded, as a result over {@code seconds} at {@code offered} queries per second,
   * with {@code unfinished} queries never answered and the answers later than {@code lateMicros}
   * counted (none counted when it is not positive).
   */
  Result result(String scenario, String label, String mode, double seconds, double offered,
      long unfinished, long lateMicros) {
    Histogram histogram = latencies.getIntervalHistogram();
    long late = lateMicros <= 0 ? -1
        : histogram.getTotalCount() - histogram.getCountBetweenValues(0, lateMicros);
    return new Result(scenario, label, mode, seconds, offered, ok.sum(), defaults.sum(),
        rejected.sum(), non200.sum(), errors.sum(), unfinished, late, millis(histogram, 50),
        millis(histogram, 99), millis(histogram, 99.9), histogram.getMaxValue() / 1000.0);
  }

  private static double millis(Histogram histogram, double percentile) {
    return histogram.getTotalCount() == 0 ? Double.NaN
        : histogram.getValueAtPercentile(percentile) / 1000.0;
  }
}
