package ai.clipper.examples;

import ai.clipper.sdk.Model;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code java-sleep}: a stand-in for a model whose cost grows with batch size. A batch of n takes
 * {@code SLEEP_FIXED_MS + n * SLEEP_PER_ITEM_MS} (defaults 1 and 0.05), then answers the sums.
 */
public final class SleepModel implements Model<double[]> {

  private final long fixedNanos;
  private final long perItemNanos;
  private final SumModel sum = new SumModel();

  public SleepModel() {
    this(System.getenv());
  }

  SleepModel(Map<String, String> env) {
    this.fixedNanos = millisToNanos(env.getOrDefault("SLEEP_FIXED_MS", "1"));
    this.perItemNanos = millisToNanos(env.getOrDefault("SLEEP_PER_ITEM_MS", "0.05"));
  }

  /** How long a batch of {@code n} takes, in nanoseconds. */
  long costNanos(int n) {
    return fixedNanos + n * perItemNanos;
  }

  @Override
  public List<String> predict(List<double[]> inputs) {
    long until = System.nanoTime() + costNanos(inputs.size());
    for (long left = until - System.nanoTime(); left > 0; left = until - System.nanoTime()) {
      LockSupport.parkNanos(left);
    }
    return sum.predict(inputs);
  }

  private static long millisToNanos(String millis) {
    return Math.round(Double.parseDouble(millis) * 1_000_000);
  }
}
