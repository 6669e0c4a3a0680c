package ai.clipper.frontend.metrics;

import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One Clipper histogram entry ({@code unit, size, min, max, mean, std_dev, p50, p95, p99}, all
 * strings) read from a Micrometer snapshot. Count, mean and max are exact; min, the percentiles
 * and the standard deviation come from the histogram buckets (a bucket's upper bound, capped at
 * the max), so they are as fine as the buckets: about 10% apart for the
 * apps' latency (percentile histograms), coarser for the per-model meters (fixed buckets).
 */
final class HistogramSummary {

  private HistogramSummary() {
  }

  /** {@code scale} converts the snapshot's base unit (nanoseconds for timers) to {@code unit}. */
  static Map<String, String> of(HistogramSnapshot snapshot, String unit, double scale) {
    CountAtBucket[] buckets = snapshot.histogramCounts();
    long size = snapshot.count();
    double max = snapshot.max() * scale;
    double mean = snapshot.mean() * scale;
    Map<String, String> entry = new LinkedHashMap<>();
    entry.put("unit", unit);
    entry.put("size", Long.toString(size));
    entry.put("min", format(size == 0 ? 0 : quantile(buckets, 0, size, scale, max)));
    entry.put("max", format(max));
    entry.put("mean", format(mean));
    entry.put("std_dev", format(stdDev(buckets, mean, size, scale, max)));
    entry.put("p50", format(quantile(buckets, 0.50, size, scale, max)));
    entry.put("p95", format(quantile(buckets, 0.95, size, scale, max)));
    entry.put("p99", format(quantile(buckets, 0.99, size, scale, max)));
    return entry;
  }

  /** The upper bound of the first bucket holding the {@code q}-quantile (counts are cumulative). */
  private static double quantile(CountAtBucket[] buckets, double q, long size, double scale,
      double max) {
    if (size == 0) {
      return 0;
    }
    double rank = Math.max(1, Math.ceil(q * size));
    for (CountAtBucket bucket : buckets) {
      if (bucket.count() >= rank) {
        return Math.min(bucket.bucket() * scale, max);
      }
    }
    return max;
  }

  private static double stdDev(CountAtBucket[] buckets, double mean, long size, double scale,
      double max) {
    if (size < 2) {
      return 0;
    }
    double sum = 0;
    double previous = 0;
    double lower = 0;
    for (CountAtBucket bucket : buckets) {
      double inBucket = bucket.count() - previous;
      double upper = Math.min(bucket.bucket() * scale, max);
      double mid = (lower + upper) / 2;
      sum += inBucket * (mid - mean) * (mid - mean);
      previous = bucket.count();
      lower = upper;
    }
    sum += (size - previous) * (max - mean) * (max - mean);
    return Math.sqrt(sum / (size - 1));
  }

  private static String format(double value) {
    return Double.isFinite(value) ? Double.toString(Math.round(value * 1000) / 1000.0) : "0";
  }
}
