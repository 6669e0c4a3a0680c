package ai.clipper.frontend.batching;

import java.time.Duration;
import java.time.Instant;

/**
 * The rule that turns a queue's forecast into a decision: a query is admitted when its expected
 * answer leaves at least {@code headroomFraction} of its remaining time unused, kept for the way
 * back to the client and for the forecast's error.
 *
 * @param enabled off, every query waits for its deadline as before admission control existed
 * @param headroomFraction the share of a query's remaining time the forecast must leave unused
 */
record Admission(boolean enabled, double headroomFraction) {

  Admission {
    if (headroomFraction < 0 || headroomFraction >= 1) {
      throw new IllegalArgumentException("The admission headroom must be in [0, 1), not "
          + headroomFraction);
    }
  }

  boolean admits(Instant expectedAnswer, Instant now, Instant deadline) {
    if (!enabled) {
      return true;
    }
    long remaining = Duration.between(now, deadline).toNanos();
    long needed = Duration.between(now, expectedAnswer).toNanos();
    return needed <= remaining * (1 - headroomFraction);
  }
}
