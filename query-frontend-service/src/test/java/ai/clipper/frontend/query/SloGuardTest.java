package ai.clipper.frontend.query;

import static org.assertj.core.api.Assertions.assertThat;

import ai.clipper.frontend.VirtualTime;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The SLO bound, in virtual time: the default answers exactly when the deadline passes. */
class SloGuardTest {

  private static final Prediction DEFAULT = Prediction.defaulted("0",
      Prediction.DefaultReason.SLO, Prediction.SLO_MISSED);

  private final VirtualTime time = new VirtualTime();
  private final SloGuard guard = new SloGuard(time.clock());
  private final Instant deadline = time.clock().instant().plusMillis(20);

  @Test
  void returnsDefaultOutputWhenSloIsMissed() {
    CompletableFuture<Prediction> call = new CompletableFuture<>();
    CompletableFuture<Prediction> answer = guard.within(call, deadline, time.scheduler(),
        () -> DEFAULT);

    time.advance(Duration.ofMillis(19));
    assertThat(answer).isNotDone();
    time.advance(Duration.ofMillis(1));
    assertThat(answer).isCompletedWithValue(DEFAULT);
    assertThat(call).isCancelled();
  }

  @Test
  void returnsTheModelOutputWhenItArrivesWithinTheSlo() {
    CompletableFuture<Prediction> call = new CompletableFuture<>();
    CompletableFuture<Prediction> answer = guard.within(call, deadline, time.scheduler(),
        () -> DEFAULT);

    time.advance(Duration.ofMillis(15));
    call.complete(Prediction.of("6"));
    assertThat(answer).isCompletedWithValue(Prediction.of("6"));
    time.advance(Duration.ofMillis(10));
    assertThat(answer).isCompletedWithValue(Prediction.of("6"));
  }

  @Test
  void answersAtOnceWhenTheDeadlineHasPassedAlready() {
    time.advance(Duration.ofMillis(30));
    CompletableFuture<Prediction> answer = guard.within(new CompletableFuture<>(), deadline,
        time.scheduler(), () -> DEFAULT);
    time.advance(Duration.ZERO);
    assertThat(answer).isCompletedWithValue(DEFAULT);
  }
}
