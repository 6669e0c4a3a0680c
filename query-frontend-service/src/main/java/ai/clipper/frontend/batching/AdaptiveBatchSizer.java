package ai.clipper.frontend.batching;

/**
 * One replica's batch size, adapted by additive increase / multiplicative decrease against the
 * latency budget (Clipper paper, section 4.3.1; the released Clipper fits a regression instead).
 * It starts at 1. After each answered batch: when the batch was full (it held the target size)
 * and its latency stayed within the budget, the target grows by {@code step}; a smaller batch
 * says nothing about bigger ones, so it leaves the target alone. When a batch's latency exceeds
 * the budget, the target drops to {@code floor(target * backoff)}, at least 1. The target never
 * exceeds the cap (the model's fixed batch_size or the configured maximum), which is applied on
 * every read so that a lowered cap takes effect at once.
 *
 * <p>Pure logic: latencies are handed in, so tests need no clock.
 */
final class AdaptiveBatchSizer {

  private final int step;
  private final double backoff;
  private int target = 1;

  AdaptiveBatchSizer(int step, double backoff) {
    if (step < 1 || backoff <= 0 || backoff >= 1) {
      throw new IllegalArgumentException("AIMD needs step >= 1 and 0 < backoff < 1, not "
          + step + " and " + backoff);
    }
    this.step = step;
    this.backoff = backoff;
  }

  /** The size of the next batch, within {@code cap}. */
  synchronized int target(int cap) {
    target = Math.max(1, Math.min(target, cap));
    return target;
  }

  /** Adapts the target after a batch of {@code size} took {@code latencyNanos}. */
  synchronized void observe(int size, long latencyNanos, long budgetNanos, int cap) {
    if (latencyNanos > budgetNanos) {
      target = Math.max(1, (int) Math.floor(target * backoff));
    } else if (size >= target) {
      target = (int) Math.min((long) cap, (long) target + step);
    }
    target = Math.max(1, Math.min(target, cap));
  }
}
