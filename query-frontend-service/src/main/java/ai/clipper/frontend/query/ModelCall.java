package ai.clipper.frontend.query;

import ai.clipper.frontend.concurrent.CompletionCause;
import ai.clipper.frontend.batching.QueryQueue;
import ai.clipper.frontend.batching.QueryFailure;
import ai.clipper.frontend.cache.PredictionCache;
import ai.clipper.frontend.input.QueryInput;
import ai.clipper.frontend.tracing.CallTiming;
import ai.clipper.frontend.tracing.RequestTrace;
import ai.clipper.metadata.App;
import ai.clipper.metadata.ModelId;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import org.springframework.stereotype.Component;
import reactor.core.scheduler.Scheduler;

/**
 * The one way to ask a model for one input within a deadline, used by predict, ensembles and
 * feedback alike: through the prediction cache (when the app uses it) and the model version's
 * queue, bounded by the deadline, every failure turned into the app's default with Clipper's
 * explanation (or into a 503 where the client must back off).
 *
 * <p>A query coalesced onto an identical one in flight keeps its own deadline: if the shared
 * call ran out of the first caller's time (expired, shed or timed out) while this caller still
 * has some, it asks the model again on its own deadline.
 */
@Component
public class ModelCall {

  private final QueryQueue queues;
  private final PredictionCache cache;
  private final SloGuard sloGuard;
  private final Clock clock;

  ModelCall(QueryQueue queues, PredictionCache cache, SloGuard sloGuard, Clock clock) {
    this.queues = queues;
    this.cache = cache;
    this.sloGuard = sloGuard;
    this.clock = clock;
  }

  /**
   * The model's prediction for {@code input}, or the app's default by {@code deadline}; fails
   * only with {@link OverloadedException}.
   *
   * @param timer runs the deadline's timer and the answer (the event loop of the client's
   *     connection): a model's output arrives on the thread that reads the replicas, which
   *     hands each query on to its own connection's loop rather than answering every client
   *     itself; an output there already (a shed query, a cache hit) is answered on the spot
   * @param trace the request's trace, which records this call's timing
   */
  public CompletableFuture<Prediction> ask(App app, ModelId model, QueryInput input,
      Instant deadline, Scheduler timer, RequestTrace trace) {
    CompletableFuture<String> output = output(app, model, input, deadline,
        trace.call(model.toString()));
    BiFunction<String, Throwable, Prediction> answer = (text, error) -> error == null
        ? Prediction.of(text).from(model)
        : Failures.defaultFor(app, error);
    CompletableFuture<Prediction> prediction = output.isDone() ? output.handle(answer)
        : output.handleAsync(answer, timer::schedule);
    prediction.whenComplete((abandoned, error) -> {
      if (error instanceof CancellationException) {
        output.cancel(false);  // a queued query that nobody waits for is not sent
      }
    });
    return sloGuard.within(prediction, deadline, timer, () -> Prediction.defaulted(
        app.defaultOutput(), Prediction.DefaultReason.SLO, Prediction.SLO_MISSED));
  }

  private CompletableFuture<String> output(App app, ModelId model, QueryInput input,
      Instant deadline, CallTiming timing) {
    if (!cache.serves(app)) {
      return queues.submit(model, input, deadline, timing);
    }
    PredictionCache.Lookup lookup = cache.get(app, model, input,
        () -> queues.submit(model, input, deadline, timing));
    if (!lookup.joined()) {
      return lookup.output();
    }
    if (lookup.output().isDone()) {
      timing.cacheHit();
    }
    return lookup.output().exceptionallyCompose(error -> {
      Throwable cause = CompletionCause.of(error);
      if (cause instanceof QueryFailure failure && failure.isLateness()
          && clock.instant().isBefore(deadline)) {
        return queues.submit(model, input, deadline, timing);
      }
      return CompletableFuture.failedFuture(cause);
    });
  }
}
