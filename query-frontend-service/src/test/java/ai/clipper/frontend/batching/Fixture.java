package ai.clipper.frontend.batching;

import ai.clipper.frontend.config.FrontendProperties;
import ai.clipper.metadata.ModelId;
import ai.clipper.sdk.InputType;
import ai.clipper.sdk.internal.BatchCodec;
import ai.clipper.sdk.proto.PredictRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * Queues and workers on virtual time: one {@link VirtualTimeScheduler} drives the clock of the
 * deadlines, the batch latencies and the timers, and senders that the test answers by hand.
 */
final class Fixture {

  static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
  static final ModelId MODEL = new ModelId("m", "1");

  final VirtualTimeScheduler time = VirtualTimeScheduler.create();
  final Clock clock = new VirtualClock(time);
  final FrontendProperties.CircuitBreaker breakerSettings =
      new FrontendProperties.CircuitBreaker(4, 2, 50, Duration.ofSeconds(1), 1);

  BatchQueue queue(int maxBatchSize, Duration maxWait, Duration budget) {
    return new BatchQueue(MODEL, new QueueSettings(InputType.DOUBLES, maxBatchSize, maxWait,
        budget), 100, 3);
  }

  ReplicaWorker worker(String name, BatchQueue queue, BatchSender sender, int maxInFlight) {
    return new ReplicaWorker(name, queue, sender, clock, time,
        () -> time.now(TimeUnit.NANOSECONDS), new AdaptiveBatchSizer(1, 0.9),
        new ReplicaBreakers(breakerSettings, clock).create(name),
        ModelMetrics.discarding(queue), maxInFlight, breakerSettings.openDuration());
  }

  void advance(Duration duration) {
    time.advanceTimeBy(duration);
  }

  static CompletableFuture<String> offer(BatchQueue queue, Clock clock, double value,
      long deadlineMillis) {
    return queue.offer(new double[] {value}, T0.plusMillis(deadlineMillis), clock.instant())
        .output();
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

    /** Answers a call with one output per input: the input's value as text. */
    void echo(int call) {
      calls.get(call).answer().tryEmitValue(inputs(call).stream().map(String::valueOf).toList());
    }

    void answer(int call, String... outputs) {
      calls.get(call).answer().tryEmitValue(List.of(outputs));
    }

    void fail(int call, Throwable error) {
      calls.get(call).answer().tryEmitError(error);
    }
  }

  /** The deadlines' clock, read off the virtual time scheduler. */
  private static final class VirtualClock extends Clock {

    private final VirtualTimeScheduler time;

    VirtualClock(VirtualTimeScheduler time) {
      this.time = time;
    }

    @Override
    public Instant instant() {
      return T0.plusNanos(time.now(TimeUnit.NANOSECONDS));
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }
}
