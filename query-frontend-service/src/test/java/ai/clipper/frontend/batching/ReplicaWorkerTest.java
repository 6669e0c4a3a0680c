package ai.clipper.frontend.batching;

import static org.assertj.core.api.Assertions.assertThat;

import ai.clipper.metadata.ModelId;
import ai.clipper.sdk.InputType;
import ai.clipper.sdk.internal.BatchCodec;
import ai.clipper.sdk.proto.PredictRequest;
import io.grpc.Status;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/** The EDF queue and the pull-based worker, on an injected clock and a recording sender. */
class ReplicaWorkerTest {

  private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

  private final MutableClock clock = new MutableClock(T0);
  private final RecordingSender sender = new RecordingSender();
  private final BatchQueue queue =
      new BatchQueue(new ModelId("m", "1"), InputType.DOUBLES, 2, 100);
  private final ReplicaWorker worker = new ReplicaWorker("m:1:0", queue, sender, clock);

  @Test
  void sendsEarliestDeadlinesFirstUpToTheBatchCap() {
    worker.start();
    offer(1, 1000);
    assertThat(sender.calls).hasSize(1);

    offer(300, 300);
    offer(100, 100);
    offer(200, 200);
    assertThat(sender.calls).hasSize(1);  // one batch in flight per replica

    sender.answer(0, "a");
    assertThat(sender.inputs(1)).containsExactly(100.0, 200.0);
    assertThat(sender.calls.get(1).deadline()).isEqualTo(T0.plusMillis(100));

    sender.answer(1, "b", "c");
    assertThat(sender.inputs(2)).containsExactly(300.0);
  }

  @Test
  void dropsExpiredQueriesBeforeSending() {
    worker.start();
    offer(1, 1000);
    CompletableFuture<String> expiring = offer(2, 50);
    CompletableFuture<String> alive = offer(3, 500);

    clock.advance(Duration.ofMillis(100));
    sender.answer(0, "first");

    assertThat(sender.inputs(1)).containsExactly(3.0);
    assertThat(sender.calls.get(1).deadline()).isEqualTo(T0.plusMillis(500));
    assertThat(expiring).isCompletedExceptionally();
    assertThat(failure(expiring)).isInstanceOf(QueryExpiredException.class);
    assertThat(alive).isNotDone();
  }

  @Test
  void completesEachQueryWithItsOwnOutputOrTheBatchError() {
    worker.start();
    CompletableFuture<String> first = offer(1, 1000);
    CompletableFuture<String> second = offer(2, 1000);
    CompletableFuture<String> third = offer(3, 1000);
    sender.answer(0, "one");
    assertThat(first).isCompletedWithValue("one");

    sender.fail(1, Status.INTERNAL.withDescription("boom").asRuntimeException());
    assertThat(failure(second)).hasMessageContaining("boom");
    assertThat(failure(third)).hasMessageContaining("boom");
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
    BatchQueue small = new BatchQueue(new ModelId("m", "1"), InputType.DOUBLES, 1, 1);
    new ReplicaWorker("r", small, sender, clock).start();
    small.offer(new double[] {1}, T0.plusSeconds(1));  // in flight
    small.offer(new double[] {2}, T0.plusSeconds(1));  // waiting
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> small.offer(new double[] {3}, T0.plusSeconds(1)))
        .isInstanceOf(OverloadedException.class);
  }

  private CompletableFuture<String> offer(double value, long deadlineMillis) {
    return queue.offer(new double[] {value}, T0.plusMillis(deadlineMillis)).output();
  }

  private static Throwable failure(CompletableFuture<String> future) {
    try {
      future.join();
      throw new AssertionError("expected a failure");
    } catch (CompletionException e) {
      return e.getCause();
    }
  }

  /** Records every batch and lets the test answer each one when it chooses. */
  private static final class RecordingSender implements BatchSender {

    record Call(PredictRequest batch, Instant deadline, Sinks.One<List<String>> answer) {
    }

    final List<Call> calls = new ArrayList<>();

    @Override
    public Mono<List<String>> send(PredictRequest batch, Instant deadline) {
      Sinks.One<List<String>> answer = Sinks.one();
      calls.add(new Call(batch, deadline, answer));
      return answer.asMono();
    }

    List<Double> inputs(int call) {
      return BatchCodec.decode(calls.get(call).batch()).stream()
          .map(input -> ((double[]) input)[0]).toList();
    }

    void answer(int call, String... outputs) {
      calls.get(call).answer().tryEmitValue(List.of(outputs));
    }

    void fail(int call, Throwable error) {
      calls.get(call).answer().tryEmitError(error);
    }
  }

  /** A clock the test moves by hand. */
  private static final class MutableClock extends Clock {

    private Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    void advance(Duration duration) {
      now = now.plus(duration);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
