package ai.clipper.bench;

import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/** Latencies (µs, 3 significant digits) and outcome counts, recorded from many threads at once. */
final class Tally {

  private final Recorder latencies = new Recorder(3);
  private final LongAdder ok = new LongAdder();
  private final LongAdder defaults = new LongAdder();
  private final LongAdder non200 = new LongAdder();
  private final LongAdder errors = new LongAdder();

  void record(long latencyNanos, Outcome outcome) {
    latencies.recordValue(Math.max(1, latencyNanos / 1000));
    switch (outcome) {
      case OK -> ok.increment();
      case DEFAULT -> defaults.increment();
      case NON_200 -> non200.increment();
      case ERROR -> errors.increment();
    }
  }

  /** Forgets everything recorded so far (the warm-up). */
  void reset() {
    latencies.reset();
    ok.reset();
    defaults.reset();
    non200.reset();
    errors.reset();
  }

  /** What was recorded, as a result over {@code seconds}, with {@code unfinished} queries never answered. */
  Result result(String scenario, String label, String mode, double seconds, long unfinished) {
    Histogram histogram = latencies.getIntervalHistogram();
    return new Result(scenario, label, mode, seconds, ok.sum(), defaults.sum(), non200.sum(),
        errors.sum(), unfinished, millis(histogram, 50), millis(histogram, 99),
        millis(histogram, 99.9), histogram.getMaxValue() / 1000.0);
  }

  private static double millis(Histogram histogram, double percentile) {
    return histogram.getTotalCount() == 0 ? Double.NaN
        : histogram.getValueAtPercentile(percentile) / 1000.0;
  }
}
