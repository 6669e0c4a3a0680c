package ai.clipper.frontend.batching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.clipper.frontend.batching.Fixture.RecordingSender;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** A failing replica's queries go to a healthy one; its breaker opens and probes it back in. */
class CircuitBreakerTest {

  private final Fixture fixture = new Fixture();
  private final RecordingSender failing = new RecordingSender();
  private final RecordingSender healthy = new RecordingSender();
  private final BatchQueue queue = fixture.queue(4, Duration.ZERO, Duration.ofMillis(10));
  private final ReplicaWorker broken = fixture.worker("m:1:0", queue, failing, 1);
  private final ReplicaWorker good = fixture.worker("m:1:1", queue, healthy, 1);

  @Test
  void reroutesAFailingReplicasQueriesToAHealthyOneAndTakesItOut() {
    broken.start();
    good.start();
    CompletableFuture<String> first = offer(1, 1000);   // to the broken replica
    CompletableFuture<String> second = offer(2, 1000);  // to the healthy one

    failing.fail(0, unavailable());
    failing.fail(1, unavailable());  // it pulled the requeued query again; now its breaker opens
    assertThat(broken.isUp()).isFalse();
    assertThat(queue.capacity().replicasUp()).isEqualTo(1);

    healthy.echo(0);
    assertThat(second).isCompletedWithValue("2.0");
    assertThat(healthy.inputs(1)).containsExactly(1.0);
    healthy.echo(1);
    assertThat(first).isCompletedWithValue("1.0");

    CompletableFuture<String> third = offer(3, 1000);  // the open breaker keeps it away
    assertThat(failing.calls).hasSize(2);
    healthy.echo(2);
    assertThat(third).isCompletedWithValue("3.0");
  }

  @Test
  void probesAnOpenReplicaAfterTheOpenDurationAndTakesItBackWhenItAnswers() {
    broken.start();
    offer(1, 10_000);
    failing.fail(0, unavailable());
    failing.fail(1, unavailable());
    assertThat(broken.isUp()).isFalse();
    assertThat(failing.calls).hasSize(2);

    fixture.advance(Duration.ofMillis(1000));
    assertThat(failing.calls).hasSize(2);
    fixture.advance(Duration.ofMillis(1));
    assertThat(failing.calls).hasSize(3);  // the half-open probe carries the waiting query

    failing.echo(2);
    assertThat(broken.isUp()).isTrue();
  }

  @Test
  void withEveryBreakerOpenAQueryThatCannotWaitForTheProbeIsShedAtOnce() {
    broken.start();
    offer(1, 10_000);
    failing.fail(0, unavailable());
    failing.fail(1, unavailable());
    assertThat(queue.capacity().replicasUp()).isZero();

    // The probe goes 1 s after the breaker opened: a 100 ms deadline cannot wait for it.
    assertThatThrownBy(() -> offer(2, 100)).isInstanceOf(QueryShedException.class);
    CompletableFuture<String> patient = offer(3, 5_000);
    fixture.advance(Duration.ofMillis(1001));
    failing.echo(2);
    failing.echo(3);
    assertThat(patient).isCompletedWithValue("3.0");
  }

  @Test
  void answersWithTheReplicasErrorWhenNoReplicaCanAnswer() {
    BatchQueue single = new BatchQueue(Fixture.MODEL, queue.settings(), 100, 2, Fixture.ADMISSION);
    fixture.worker("only", single, failing, 1).start();
    CompletableFuture<String> query = Fixture.offer(single, fixture.clock, 1, 1000);

    failing.fail(0, unavailable());
    failing.fail(1, unavailable());

    assertThat(Fixture.failure(query)).hasMessageContaining("UNAVAILABLE");
  }

  @Test
  void timeoutsOfAReplicaSilentForAWholeOpenDurationCountAgainstItAndShrinkItsBatches() {
    broken.start();
    offer(1, 5000);
    fixture.advance(Duration.ofMillis(1000));  // hung: no answer since it started
    failing.fail(0, new BatchTimeoutException("DEADLINE_EXCEEDED"));
    fixture.advance(Duration.ofMillis(50));
    failing.fail(1, new BatchTimeoutException("DEADLINE_EXCEEDED"));

    assertThat(broken.isUp()).isFalse();
    assertThat(broken.batchSizeTarget()).isEqualTo(1);
  }

  @Test
  void aReplicaThatStillAnswersStaysInThoughLoadMakesSomeBatchesTimeOut() {
    broken.start();
    for (int i = 0; i < 20; i += 2) {  // every other batch too slow for its deadline
      offer(i, fixture.clock.millis() - Fixture.T0.toEpochMilli() + 1000);
      offer(i + 1, fixture.clock.millis() - Fixture.T0.toEpochMilli() + 1000);
      fixture.advance(Duration.ofMillis(20));
      failing.echo(i);
      fixture.advance(Duration.ofMillis(20));
      failing.fail(i + 1, new BatchTimeoutException("DEADLINE_EXCEEDED"));
    }
    assertThat(broken.isUp()).isTrue();
    assertThat(failing.calls).hasSizeGreaterThanOrEqualTo(20);
  }

  @Test
  void aBatchSentTooLateForItsDeadlineDoesNotCountAgainstTheReplica() {
    broken.start();
    for (int i = 0; i < 4; i++) {
      offer(i, fixture.clock.millis() - Fixture.T0.toEpochMilli() + 5);  // 5 ms < 10 ms budget
      fixture.advance(Duration.ofMillis(5));
      failing.fail(i, new BatchTimeoutException("DEADLINE_EXCEEDED"));
    }
    assertThat(broken.isUp()).isTrue();
  }

  private CompletableFuture<String> offer(double value, long deadlineMillis) {
    return Fixture.offer(queue, fixture.clock, value, deadlineMillis);
  }

  private static RuntimeException unavailable() {
    return new ReplicaFaultException("UNAVAILABLE: connection refused");
  }
}
