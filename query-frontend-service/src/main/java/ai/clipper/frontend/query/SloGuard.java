package ai.clipper.frontend.query;

import ai.clipper.frontend.concurrent.CompletionCause;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;

/**
 * Bounds a prediction by its query's deadline (Clipper's {@code collectAny(tasks, timer(slo))}):
 * when the deadline passes first, the default answers and the model call is abandoned (a queued
 * query that nobody waits for is not sent). The timer runs on the scheduler the caller hands in:
 * for an HTTP query the event loop that owns its connection, so nothing stands between the timer
 * and the socket write.
 */
@Component
public class SloGuard {

  private final Clock clock;

  SloGuard(Clock clock) {
    this.clock = clock;
  }

  /** The call's prediction, or {@code onMiss}'s at {@code deadline}, whichever comes first. */
  public CompletableFuture<Prediction> within(CompletableFuture<Prediction> call, Instant deadline,
      Scheduler timer, Supplier<Prediction> onMiss) {
    if (call.isDone()) {
      return call;
    }
    CompletableFuture<Prediction> answer = new CompletableFuture<>();
    long delay = Math.max(0, Duration.between(clock.instant(), deadline).toNanos());
    Disposable missed = timer.schedule(() -> {
      if (answer.complete(onMiss.get())) {
        call.cancel(false);
      }
    }, delay, TimeUnit.NANOSECONDS);
    call.whenComplete((prediction, error) -> {
      missed.dispose();
      if (error == null) {
        answer.complete(prediction);
      } else {
        answer.completeExceptionally(CompletionCause.of(error));
      }
    });
    return answer;
  }
}
