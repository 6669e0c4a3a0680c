package ai.clipper.frontend.query;

import ai.clipper.frontend.input.QueryInput;
import ai.clipper.frontend.tracing.CallTiming;
import ai.clipper.frontend.tracing.RequestTrace;
import static org.assertj.core.api.Assertions.assertThat;

import ai.clipper.frontend.VirtualTime;
import ai.clipper.frontend.batching.QueryExpiredException;
import ai.clipper.frontend.batching.QueryQueue;
import ai.clipper.frontend.batching.QueryShedException;
import ai.clipper.frontend.batching.QueueFullException;
import ai.clipper.frontend.cache.PredictionCache;
import ai.clipper.frontend.config.FrontendProperties;
import ai.clipper.metadata.App;
import ai.clipper.metadata.ModelId;
import ai.clipper.metadata.Overload;
import ai.clipper.sdk.InputType;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

/** One model call within a deadline, through the cache and a queue the test answers by hand. */
class ModelCallTest {

  private static final ModelId MODEL = new ModelId("m", "1");
  private static final App APP = new App("a", InputType.DOUBLES, "-1", 100_000, "single", true);

  private final VirtualTime time = new VirtualTime();
  private final HandQueue queue = new HandQueue();
  private final ModelCall call = new ModelCall(queue,
      new PredictionCache(new FrontendProperties.Cache(true, DataSize.ofMegabytes(1)),
          new SimpleMeterRegistry()),
      new SloGuard(time.clock()), time.clock());

  @Test
  void aCoalescedCallerKeepsItsOwnLaterDeadline() {
    CompletableFuture<Prediction> first = ask(APP, at(10));
    time.advance(Duration.ofMillis(5));
    CompletableFuture<Prediction> second = ask(APP, at(15));
    assertThat(queue.submitted).hasSize(1);  // coalesced onto the first

    time.advance(Duration.ofMillis(5));
    queue.submitted.get(0).output().completeExceptionally(new QueryExpiredException());
    assertThat(first.join().reason()).isEqualTo(Prediction.DefaultReason.SLO);
    assertThat(second).isNotDone();  // it asks again, on its own deadline
    assertThat(queue.submitted).hasSize(2);
    assertThat(queue.submitted.get(1).deadline()).isEqualTo(at(15));

    time.advance(Duration.ofMillis(2));
    queue.submitted.get(1).output().complete("42");
    assertThat(second.join()).isEqualTo(Prediction.of("42").from(MODEL));
  }

  @Test
  void aCoalescedCallerWithAnEarlierDeadlineGetsItsDefaultThenWithoutEndingTheSharedCall() {
    CompletableFuture<Prediction> patient = ask(APP, at(20));
    CompletableFuture<Prediction> hurried = ask(APP, at(10));

    time.advance(Duration.ofMillis(10));
    assertThat(hurried.join().reason()).isEqualTo(Prediction.DefaultReason.SLO);
    assertThat(patient).isNotDone();
    queue.submitted.get(0).output().complete("7");
    assertThat(patient.join().output()).isEqualTo("7");
  }

  @Test
  void aCallerWhoseDeadlinePassesAbandonsItsQueuedQuery() {
    App uncached = new App("u", InputType.DOUBLES, "-1", 100_000, "single", false);
    CompletableFuture<Prediction> answer = ask(uncached, at(10));

    time.advance(Duration.ofMillis(10));
    assertThat(answer.join().isDefault()).isTrue();
    assertThat(queue.submitted.get(0).output()).isCancelled();  // so it is never sent
  }

  @Test
  void aShedQueryAnswersTheDefaultAtOnceOrA503ForAnAppThatAsksForIt() {
    queue.refuse = new QueryShedException("too much");
    Prediction shed = ask(APP, at(10)).join();
    assertThat(shed.reason()).isEqualTo(Prediction.DefaultReason.SHED);
    assertThat(shed.explanation()).isEqualTo(Prediction.SLO_MISSED);
    assertThat(shed.output()).isEqualTo("-1");

    CompletableFuture<Prediction> rejected = ask(APP.withOverload(Overload.REJECT), at(10));
    assertThat(rejected).isCompletedExceptionally();
    assertThat(failure(rejected)).isInstanceOf(OverloadedException.class);
  }

  @Test
  void aFullQueueIsA503WhateverTheApp() {
    queue.refuse = new QueueFullException("full");
    assertThat(failure(ask(APP, at(10)))).isInstanceOf(OverloadedException.class);
  }

  private CompletableFuture<Prediction> ask(App app, Instant deadline) {
    return call.ask(app, MODEL, new QueryInput.Doubles(new double[] {1}), deadline, time.scheduler(),
        RequestTrace.untraced());
  }

  private static Instant at(long millis) {
    return VirtualTime.T0.plusMillis(millis);
  }

  private static Throwable failure(CompletableFuture<?> future) {
    try {
      future.join();
      throw new AssertionError("expected a failure");
    } catch (CompletionException e) {
      return e.getCause();
    }
  }

  /** Records every submitted query; refuses them at once while {@code refuse} is set. */
  private static final class HandQueue implements QueryQueue {

    record Submitted(Instant deadline, CompletableFuture<String> output) {
    }

    final List<Submitted> submitted = new ArrayList<>();
    RuntimeException refuse;

    @Override
    public CompletableFuture<String> submit(ModelId model, QueryInput input, Instant deadline,
        CallTiming timing) {
      if (refuse != null) {
        return CompletableFuture.failedFuture(refuse);
      }
      CompletableFuture<String> output = new CompletableFuture<>();
      submitted.add(new Submitted(deadline, output));
      return output;
    }
  }
}
