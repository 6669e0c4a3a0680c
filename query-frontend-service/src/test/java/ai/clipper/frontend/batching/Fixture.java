package ai.clipper.frontend.batching;

import ai.clipper.frontend.input.QueryInput;
import ai.clipper.frontend.tracing.CallTiming;
import ai.clipper.frontend.tracing.RequestTrace;
import ai.clipper.frontend.VirtualTime;
import ai.clipper.frontend.config.FrontendProperties;
import ai.clipper.metadata.ModelId;
import ai.clipper.sdk.InputType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * Queues and workers on virtual time: one {@link VirtualTimeScheduler} drives the clock of the
 * deadlines, the batch latencies and the timers, and senders that the test answers by hand.
 */
final class Fixture {

  static final Instant T0 = VirtualTime.T0;
  static final ModelId MODEL = new ModelId("m", "1");

  private final VirtualTime virtualTime = new VirtualTime();
  final VirtualTimeScheduler time = virtualTime.scheduler();
  final Clock clock = virtualTime.clock();
  final FrontendProperties.CircuitBreaker breakerSettings =
      new FrontendProperties.CircuitBreaker(4, 2, 50, Duration.ofSeconds(1), 1);

  /** Admission control as configured by default. */
  static final Admission ADMISSION = new Admission(true, 0.1);

  BatchQueue queue(int maxBatchSize, Duration maxWait, Duration budget) {
    return queue(maxBatchSize, maxWait, budget, 100);
  }

  BatchQueue queue(int maxBatchSize, Duration maxWait, Duration budget, int capacity) {
    return new BatchQueue(MODEL, new QueueSettings(InputType.DOUBLES, maxBatchSize, maxWait,
        budget), capacity, 3, ADMISSION);
  }

  ReplicaWorker worker(String name, BatchQueue queue, BatchSender sender, int maxInFlight) {
    return new ReplicaWorker(name, queue, sender, clock, time,
        () -> time.now(TimeUnit.NANOSECONDS), new AdaptiveBatchSizer(1, 0.9),
        new ReplicaBreakers(breakerSettings, clock).create(name),
        ModelMetrics.discarding(queue), maxInFlight);
  }

  void advance(Duration duration) {
    time.advanceTimeBy(duration);
  }

  static CompletableFuture<String> offer(BatchQueue queue, Clock clock, double value,
      long deadlineMillis) {
    return queue.offer(new QueryInput.Doubles(new double[] {value}), T0.plusMillis(deadlineMillis), clock.instant(),
        timing()).output();
  }

  /** The timing of a query that belongs to no traced request. */
  static CallTiming timing() {
    return RequestTrace.untraced().call("model:1");
  }

  static Throwable failure(CompletableFuture<String> future) {
    try {
      future.join();
      throw new AssertionError("expected a failure");
    } catch (CompletionException e) {
      return e.getCause();
    }
  }

  /** Records every batch and lets the test answer each one when it chooses. */
  static final class RecordingSender implements BatchSender {

    record Call(List<QueryInput> inputs, Instant deadline, CompletableFuture<BatchAnswer> answer) {
    }

    final List<Call> calls = new ArrayList<>();

    @Override
    public CompletableFuture<BatchAnswer> send(InputType type, List<QueryInput> inputs,
        Instant deadline, List<String> traceparents) {
      CompletableFuture<BatchAnswer> answer = new CompletableFuture<>();
      calls.add(new Call(List.copyOf(inputs), deadline, answer));
      return answer;
    }

    @Override
    public void close() {
    }

    List<Double> inputs(int call) {
      return calls.get(call).inputs().stream().map(input -> ((QueryInput.Doubles) input).values()[0]).toList();
    }

    /** Answers a call with one output per input: the input's value as text. */
    void echo(int call) {
      calls.get(call).answer().complete(
          new BatchAnswer(inputs(call).stream().map(String::valueOf).toList(), 0, 0));
    }

    /** Answers a call as a container that does not say how long its model took. */
    void answer(int call, String... outputs) {
      calls.get(call).answer().complete(new BatchAnswer(List.of(outputs), 0, 0));
    }

    void fail(int call, Throwable error) {
      calls.get(call).answer().completeExceptionally(error);
    }
  }
}
