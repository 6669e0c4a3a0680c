package ai.clipper.frontend.batching;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * Whether one replica may take batches: its circuit breaker, and the rules for what counts
 * against it. A replica fault counts. A batch that timed out with less time left than the
 * latency budget was sent too late: not the replica's fault. One that had the whole budget and
 * missed it counts only when the replica has answered nothing for a whole open duration (hung,
 * not slow): a model slowed by load (a starved CPU, a cold JIT, a busy frontend reading its
 * answers late) keeps serving what admission control lets through, where an open breaker would
 * shed everything.
 */
final class ReplicaHealth {

  private final CircuitBreaker breaker;
  private final Clock clock;
  private final Duration openDuration;
  /** When the replica last answered a batch (its start, before the first answer). */
  private volatile Instant lastAnswer;
  /** While the breaker is open: when it lets the next batch through, its half-open probe. */
  private volatile Instant probeAt = Instant.MAX;

  ReplicaHealth(CircuitBreaker breaker, Clock clock, Duration openDuration) {
    this.breaker = breaker;
    this.clock = clock;
    this.openDuration = openDuration;
    this.lastAnswer = clock.instant();
  }

  /** A breaker's state, as its metric says it. */
  enum State {
    CLOSED("closed"), OPEN("open"), HALF_OPEN("half_open");

    private final String label;

    State(String label) {
      this.label = label;
    }

    String label() {
      return label;
    }
  }

  State state() {
    return switch (breaker.getState()) {
      case OPEN, FORCED_OPEN -> State.OPEN;
      case HALF_OPEN -> State.HALF_OPEN;
      default -> State.CLOSED;
    };
  }

  /** Whether the breaker lets batches through (closed or half-open). */
  boolean isUp() {
    CircuitBreaker.State state = breaker.getState();
    return state != CircuitBreaker.State.OPEN && state != CircuitBreaker.State.FORCED_OPEN;
  }

  /**
   * When an open breaker lets the next batch through ({@link Instant#MAX} when none is armed,
   * e.g. before its first refusal).
   */
  Instant probeAt() {
    return probeAt;
  }

  /** Asks to send a batch; when refused, {@link #probeAt} says when to ask again. */
  boolean tryAcquire() {
    if (breaker.tryAcquirePermission()) {
      return true;
    }
    // resilience4j lets a probe through strictly after the open duration
    probeAt = clock.instant().plus(openDuration).plusMillis(1);
    return false;
  }

  /** Gives back a permission that sent nothing. */
  void release() {
    breaker.releasePermission();
  }

  void answered(long roundTripNanos) {
    breaker.onSuccess(roundTripNanos, TimeUnit.NANOSECONDS);
    lastAnswer = clock.instant();
  }

  /**
   * Counts a failed batch against the replica when it was the replica's fault (see the class
   * comment).
   *
   * @param slack the time the batch had when it was sent
   * @param budget the latency budget of the model's batches
   * @return whether it was a timeout that counted: the model is slower than thought
   */
  boolean failed(Throwable error, long roundTripNanos, Duration slack, Duration budget) {
    boolean timedOut = error instanceof BatchTimeoutException;
    boolean sentLate = timedOut && slack.compareTo(budget) < 0;
    boolean slowButAlive = timedOut
        && Duration.between(lastAnswer, clock.instant()).compareTo(openDuration) < 0;
    if (sentLate || slowButAlive) {
      breaker.releasePermission();
      return false;
    }
    breaker.onError(roundTripNanos, TimeUnit.NANOSECONDS, error);
    return timedOut;
  }
}
