package ai.clipper.frontend.batching;

import java.time.Duration;
import java.time.Instant;

/**
 * The rule that turns a queue's forecast into a decision, work-conserving: a query is shed only
 * when no replica can take it in time. It is always admitted while a replica has a free slot,
 * while the model's time is not known yet (a model the frontend has barely seen is not judged on
 * its first batches), and while it fits in the batches the replicas take next and the model
 * would finish them by its deadline. Deeper in the queue, its forecast answer must leave at least
 * {@code headroomFraction} of its remaining time unused, for the way back to the client and the
 * forecast's error. So a pessimistic estimate never starves the model: every replica keeps
 * getting batches, whose times correct it.
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

  boolean admits(Capacity.Forecast forecast, Instant now, Instant deadline) {
    if (!enabled || forecast.anyFree() || !forecast.known()) {
      return true;
    }
    if (forecast.nextBatch() && !forecast.modelDone().isAfter(deadline)) {
      return true;
    }
    long remaining = Duration.between(now, deadline).toNanos();
    long needed = Duration.between(now, forecast.answerAt()).toNanos();
    return needed <= remaining * (1 - headroomFraction);
  }

  /** Whether a query would be answered after its deadline by a batch answered at {@code at}. */
  boolean late(Instant deadline, Instant at) {
    return enabled && deadline.isBefore(at);
  }
}
