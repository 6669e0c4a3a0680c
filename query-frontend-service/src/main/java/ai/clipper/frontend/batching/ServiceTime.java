package ai.clipper.frontend.batching;

/**
 * What one model version's batches cost the model itself: a least-squares line {@code time =
 * fixed + perItem * size} fitted to the compute times its containers report for their recent
 * batches (the round trip when a container does not report one), each older batch weighing
 * {@value #DECAY} times the next, so the estimate follows a model that slows down or speeds up
 * within a few dozen batches. The released Clipper fits the same kind of line to choose batch
 * sizes; here it also tells admission control how fast the queue drains. The frontend's own
 * delays are not in it: under a flood they grow with every answer it writes, and an estimate
 * that counted them would shed more, which in a closed loop brings more queries.
 *
 * <p>When every recent batch had the same size (a model with a fixed batch size of 1), the line
 * has no slope to fit and the estimate is their mean. Pure arithmetic: times are handed in, so
 * tests need no clock.
 */
final class ServiceTime {

  /** The weight of the previous estimate per new batch: about the last 10-20 batches count. */
  static final double DECAY = 0.9;

  /**
   * Batches seen before the estimate is trusted to shed a query: a model the frontend has barely
   * seen (a cold process, a lazily loaded model) is not judged on its first batches.
   */
  static final int MIN_BATCHES = 8;

  private int batches;
  private double weight;
  private double sizes;
  private double squaredSizes;
  private double times;
  private double products;

  /** Records that the model took {@code nanos} for a batch of {@code size}. */
  synchronized void observe(int size, long nanos) {
    batches = Math.min(batches + 1, MIN_BATCHES);
    weight = weight * DECAY + 1;
    sizes = sizes * DECAY + size;
    squaredSizes = squaredSizes * DECAY + (double) size * size;
    times = times * DECAY + nanos;
    products = products * DECAY + (double) size * nanos;
  }

  /** Whether enough batches were seen for {@link #nanos} to be relied on. */
  synchronized boolean known() {
    return batches >= MIN_BATCHES;
  }

  /** The expected time of a batch of {@code size}; 0 before the first batch. */
  synchronized long nanos(int size) {
    if (weight == 0) {
      return 0;
    }
    double meanSize = sizes / weight;
    double meanTime = times / weight;
    double variance = squaredSizes / weight - meanSize * meanSize;
    double perItem = variance < 0.25 ? 0 : Math.max(0,
        (products / weight - meanSize * meanTime) / variance);
    double fixed = Math.max(0, meanTime - perItem * meanSize);
    return (long) (fixed + perItem * size);
  }
}
