package ai.clipper.frontend.batching;

import static org.assertj.core.api.Assertions.assertThat;

import ai.clipper.frontend.batching.Fixture.RecordingSender;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Delayed batching: a partial batch waits for the model's max wait, never past its slack. */
class DelayedBatchingTest {

  private final Fixture fixture = new Fixture();
  private final RecordingSender sender = new RecordingSender();
  private final BatchQueue queue = fixture.queue(8, Duration.ofMillis(5), Duration.ofMillis(10));
  private final ReplicaWorker worker = fixture.worker("m:1:0", queue, sender, 1);

  /** One full batch of one within the budget, so the target is 2 and 1 query is partial. */
  @BeforeEach
  void growTheTargetToTwo() {
    worker.start();
    offer(0, 10_000);
    fixture.advance(Duration.ofMillis(2));
    sender.answer(0, "warm");
    assertThat(worker.batchSizeTarget()).isEqualTo(2);
  }

  @Test
  void flushesAPartialBatchWhenTheMaxWaitElapses() {
    CompletableFuture<String> lonely = offer(1, 10_000);
    fixture.advance(Duration.ofMillis(4));
    assertThat(sender.calls).hasSize(1);

    fixture.advance(Duration.ofMillis(1));
    assertThat(sender.calls).hasSize(2);
    assertThat(sender.inputs(1)).containsExactly(1.0);
    sender.echo(1);
    assertThat(lonely).isCompletedWithValue("1.0");
  }

  @Test
  void sendsAsSoonAsTheBatchFillsWithoutWaiting() {
    offer(1, 10_000);
    fixture.advance(Duration.ofMillis(1));
    offer(2, 10_000);

    assertThat(sender.calls).hasSize(2);
    assertThat(sender.inputs(1)).containsExactly(1.0, 2.0);
  }

  @Test
  void doesNotWaitPastTheEarliestDeadlineMinusTheExpectedBatchLatency() {
    // The model's batches take 2 ms, so a query due 5 ms from now (at 7 ms) may wait 3 ms, not 5.
    for (int batch = 0; batch < ServiceTime.MIN_BATCHES; batch++) {
      queue.capacity().service().observe(1, Duration.ofMillis(2).toNanos());
    }
    offer(1, 7);
    fixture.advance(Duration.ofNanos(2_999_999));
    assertThat(sender.calls).hasSize(1);

    fixture.advance(Duration.ofNanos(1));
    assertThat(sender.calls).hasSize(2);
    assertThat(sender.calls.get(1).deadline()).isEqualTo(Fixture.T0.plusMillis(7));
  }

  @Test
  void sendsAtOnceWhenTheModelHasNoMaxWait() {
    queue.configure(new QueueSettings(queue.settings().inputType(), 8, Duration.ZERO,
        Duration.ofMillis(10)));
    offer(1, 10_000);
    assertThat(sender.calls).hasSize(2);
  }

  private CompletableFuture<String> offer(double value, long deadlineMillis) {
    return Fixture.offer(queue, fixture.clock, value, deadlineMillis);
  }
}
