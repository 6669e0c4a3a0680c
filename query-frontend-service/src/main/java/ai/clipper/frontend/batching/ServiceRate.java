package ai.clipper.frontend.batching;

/**
 * What one model version's batches cost: a least-squares line {@code latency = fixed + perItem *
 * size} fitted to its recent batches, each older batch weighing {@value #DECAY} times the next,
 * so the estimate follows a model that slows down or speeds up within a few dozen batches. The
 * released Clipper fits the same kind of line to choose batch sizes; here it also tells the
 * queue, before a query joins it, whether the query can still be answered by its deadline
 * (admission control).
 *
 * <p>When every recent batch had the same size (a model with a fixed batch size of 1), the line
 * has no slope to fit and the estimate is their mean latency. Pure arithmetic: latencies are
 * handed in, so tests need no clock.
 */
final class ServiceRate {

  /** The weight of the previous estimate per new batch: about the last 10-20 batches count. */
  static final double DECAY = 0.9;

  /** Batches seen before the estimate is trusted: one odd batch must not shed a whole queue. */
  static final int MIN_BATCHES = 3;

  private int batches;
  private double weight;
  private double sizes;
  private double squaredSizes;
  private double latencies;
  private double products;

  /** Records that a batch of {@code size} took {@code latencyNanos}. */
  synchronized void observe(int size, long latencyNanos) {
    batches = Math.min(batches + 1, MIN_BATCHES);
    weight = weight * DECAY + 1;
    sizes = sizes * DECAY + size;
    squaredSizes = squaredSizes * DECAY + (double) size * size;
    latencies = latencies * DECAY + latencyNanos;
    products = products * DECAY + (double) size * latencyNanos;
  }

  /** Whether enough batches were seen for {@link #latencyNanos} to be relied on. */
  synchronized boolean known() {
    return batches >= MIN_BATCHES;
  }

  /** The expected latency of a batch of {@code size}; 0 before the first batch. */
  synchronized long latencyNanos(int size) {
    if (weight == 0) {
      return 0;
    }
    double meanSize = sizes / weight;
    double meanLatency = latencies / weight;
    double variance = squaredSizes / weight - meanSize * meanSize;
    double perItem = variance < 0.25 ? 0 : Math.max(0,
        (products / weight - meanSize * meanLatency) / variance);
    double fixed = Math.max(0, meanLatency - perItem * meanSize);
    return (long) (fixed + perItem * size);
  }
}
