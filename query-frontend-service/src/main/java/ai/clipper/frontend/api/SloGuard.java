package ai.clipper.frontend.api;

import java.time.Duration;
import java.util.function.Supplier;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Bounds a prediction by the app's latency SLO: when the SLO passes first, the default answers
 * and the model call is abandoned (Clipper's {@code collectAny(tasks, timer(slo))}).
 */
@Component
class SloGuard {

  private final Scheduler timer;

  SloGuard(@Qualifier("sloScheduler") Scheduler timer) {
    this.timer = timer;
  }

  Mono<Prediction> within(Mono<Prediction> prediction, Duration slo, Supplier<Prediction> onMiss) {
    return prediction.timeout(slo, Mono.fromSupplier(onMiss), timer);
  }
}
