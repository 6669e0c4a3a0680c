package ai.clipper.frontend.batching;

import static ai.clipper.frontend.batching.Fixture.T0;
import static ai.clipper.frontend.batching.Fixture.failure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.clipper.frontend.batching.Fixture.RecordingSender;
import ai.clipper.frontend.input.QueryInput;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The EDF queue and the pull-based worker, on virtual time and a recording sender. */
class ReplicaWorkerTest {

  private final Fixture fixture = new Fixture();
  private final RecordingSender sender = new RecordingSender();
  private final BatchQueue queue = fixture.queue(2, Duration.ZERO, Duration.ofMillis(10));
  private final ReplicaWorker worker = fixture.worker("m:1:0", queue, sender, 1);

  @Test
  void sendsEarliestDeadlinesFirstWithOneBatchInFlight() {
    worker.start();
    offer(1, 1000);
    assertThat(sender.calls).hasSize(1);

    offer(300, 300);
    offer(100, 100);
    offer(200, 200);
    assertThat(sender.calls).hasSize(1);

    sender.answer(0, "a");  // a full batch within the budget: the next one may hold 2
    assertThat(sender.inputs(1)).containsExactly(100.0, 200.0);
    // The call may run until its last query's deadline: the first one's caller has had its
    // default by then, the second still gets the model's answer.
    assertThat(sender.calls.get(1).deadline()).isEqualTo(T0.plusMillis(200));

    sender.answer(1, "b", "c");
    assertThat(sender.inputs(2)).containsExactly(300.0);
    assertThat(sender.calls.get(2).deadline()).isEqualTo(T0.plusMillis(300));
  }

  @Test
  void dropsExpiredQueriesBeforeSending() {
    worker.start();
    offer(1, 1000);
    CompletableFuture<String> expiring = offer(2, 50);
    CompletableFuture<String> alive = offer(3, 500);

    fixture.advance(Duration.ofMillis(100));
    sender.answer(0, "first");

    assertThat(sender.inputs(1)).containsExactly(3.0);
    assertThat(failure(expiring)).isInstanceOf(QueryExpiredException.class);
    assertThat(alive).isNotDone();
  }

  @Test
  void completesEachQueryWithItsOwnOutput() {
    worker.start();
    CompletableFuture<String> first = offer(1, 1000);
    CompletableFuture<String> second = offer(2, 1000);
    CompletableFuture<String> third = offer(3, 1000);
    sender.answer(0, "one");
    sender.answer(1, "two", "three");

    assertThat(first).isCompletedWithValue("one");
    assertThat(second).isCompletedWithValue("two");
    assertThat(third).isCompletedWithValue("three");
  }

  @Test
  void failsABadInputsBatchWithoutRetryingItOrBlamingTheReplica() {
    worker.start();
    for (int i = 0; i < 4; i++) {
      CompletableFuture<String> query = offer(i, 1000);
      sender.fail(i, new InputRejectedException("INVALID_ARGUMENT: bad input"));
      assertThat(failure(query)).hasMessageContaining("bad input");
    }
    assertThat(sender.calls).hasSize(4);
    assertThat(worker.isUp()).isTrue();
  }

  @Test
  void idleWorkerIsWokenByTheNextQueryWithoutPolling() {
    worker.start();
    assertThat(sender.calls).isEmpty();
    CompletableFuture<String> query = offer(7, 1000);
    assertThat(sender.inputs(0)).containsExactly(7.0);
    sender.answer(0, "seven");
    assertThat(query).isCompletedWithValue("seven");
  }

  @Test
  void failsWaitingQueriesWhenTheLastReplicaLeaves() {
    worker.start();
    offer(1, 1000);
    CompletableFuture<String> waiting = offer(2, 1000);

    worker.stop();
    assertThat(failure(waiting)).isInstanceOf(NoConnectedModelsException.class);
    sender.answer(0, "in flight still answers");
    assertThat(sender.calls).hasSize(1);
  }

  @Test
  void refusesQueriesBeyondTheQueueCapacity() {
    BatchQueue small = fixture.queue(2, Duration.ZERO, Duration.ofMillis(10), 1);
    fixture.worker("r", small, sender, 1).start();
    small.offer(new QueryInput.Doubles(new double[] {1}), T0.plusSeconds(1), T0, Fixture.timing());  // in flight
    small.offer(new QueryInput.Doubles(new double[] {2}), T0.plusSeconds(1), T0, Fixture.timing());  // waiting
    assertThatThrownBy(() -> small.offer(new QueryInput.Doubles(new double[] {3}), T0.plusSeconds(1), T0, Fixture.timing()))
        .isInstanceOf(QueueFullException.class);
  }

  @Test
  void keepsUpToMaxInFlightBatchesPerReplica() {
    ReplicaWorker wide = fixture.worker("wide", queue, sender, 2);
    wide.start();
    offer(1, 1000);
    offer(2, 1000);
    offer(3, 1000);
    assertThat(sender.calls).hasSize(2);

    sender.answer(0, "one");
    assertThat(sender.calls).hasSize(3);
    assertThat(sender.inputs(2)).containsExactly(3.0);
  }

  @Test
  void neverSendsMoreThanTheModelsFixedBatchSize() {
    BatchQueue fixed = fixture.queue(3, Duration.ZERO, Duration.ofMillis(10));
    fixture.worker("fixed", fixed, sender, 1).start();
    for (int i = 0; i < 40; i++) {
      offer(fixed, i, 1000);
    }
    int largest = 0;
    for (int call = 0; call < sender.calls.size(); call++) {
      largest = Math.max(largest, sender.inputs(call).size());
      sender.echo(call);
    }
    assertThat(largest).isEqualTo(3);
    assertThat(fixed.size()).isZero();
  }

  private CompletableFuture<String> offer(double value, long deadlineMillis) {
    return offer(queue, value, deadlineMillis);
  }

  private CompletableFuture<String> offer(BatchQueue target, double value, long deadlineMillis) {
    return Fixture.offer(target, fixture.clock, value, deadlineMillis);
  }
}
