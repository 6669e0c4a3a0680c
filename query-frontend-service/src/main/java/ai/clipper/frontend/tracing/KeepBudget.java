package ai.clipper.frontend.tracing;

/**
 * How many requests not sampled may still have their spans kept (for a default or an error) per
 * second: under a flood of defaults, tracing each would take the CPU the flood needs.
 */
final class KeepBudget {

  private final int perSecond;
  private long second;
  private int used;

  KeepBudget(int perSecond) {
    this.perSecond = perSecond;
  }

  /** Takes one from the budget of the second {@code nanos} falls in, if any is left. */
  synchronized boolean take(long nanos) {
    long now = nanos / 1_000_000_000L;
    if (now != second) {
      second = now;
      used = 0;
    }
    return used < perSecond && ++used > 0;
  }
}
