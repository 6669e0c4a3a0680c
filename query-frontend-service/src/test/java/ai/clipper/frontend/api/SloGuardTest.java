package ai.clipper.frontend.api;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/** The SLO bound, in virtual time: the default answers exactly when the SLO passes. */
class SloGuardTest {

  private static final Prediction DEFAULT =
      Prediction.defaulted("0", Prediction.SLO_MISSED);

  private final VirtualTimeScheduler time = VirtualTimeScheduler.create();
  private final SloGuard guard = new SloGuard(time);

  @Test
  void returnsDefaultOutputWhenSloIsMissed() {
    StepVerifier.withVirtualTime(
            () -> guard.within(Mono.never(), Duration.ofMillis(20), () -> DEFAULT), () -> time, 1)
        .expectSubscription()
        .expectNoEvent(Duration.ofMillis(19))
        .thenAwait(Duration.ofMillis(1))
        .expectNext(DEFAULT)
        .verifyComplete();
  }

  @Test
  void returnsTheModelOutputWhenItArrivesWithinTheSlo() {
    Mono<Prediction> model = Mono.just(Prediction.of("6")).delayElement(Duration.ofMillis(15),
        time);
    StepVerifier.withVirtualTime(
            () -> guard.within(model, Duration.ofMillis(20), () -> DEFAULT), () -> time, 1)
        .expectSubscription()
        .thenAwait(Duration.ofMillis(15))
        .expectNext(Prediction.of("6"))
        .verifyComplete();
  }
}
