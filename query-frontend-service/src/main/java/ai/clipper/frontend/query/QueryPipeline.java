package ai.clipper.frontend.query;

import ai.clipper.frontend.input.QueryInput;
import ai.clipper.frontend.registry.MetadataSnapshot;
import ai.clipper.frontend.selection.ModelSelector;
import ai.clipper.frontend.selection.SelectionPlan;
import ai.clipper.frontend.selection.UnknownPolicyException;
import ai.clipper.frontend.tracing.RequestTrace;
import ai.clipper.metadata.App;
import ai.clipper.metadata.ModelId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.stereotype.Component;
import reactor.core.scheduler.Scheduler;

/**
 * What happens to a query, whatever API it came through: the app's selection policy picks the
 * model version(s) per input, each is asked through {@link ModelCall} (cache, queue, deadline),
 * an ensemble's outputs are combined, and every answer, the model's or the default, comes by
 * the deadline that started when the request arrived.
 */
@Component
public class QueryPipeline {

  private final ModelSelector selector;
  private final ModelCall modelCall;
  private final Ensemble ensemble;
  private final PredictionMetrics metrics;
  private final Clock clock;

  QueryPipeline(ModelSelector selector, ModelCall modelCall, Ensemble ensemble,
      PredictionMetrics metrics, Clock clock) {
    this.selector = selector;
    this.modelCall = modelCall;
    this.ensemble = ensemble;
    this.metrics = metrics;
    this.clock = clock;
  }

  /**
   * One prediction per input, in input order. Fails with {@link InvalidQueryException} for an
   * impossible request ({@link UnknownVersionException} for an unknown version) and
   * {@link OverloadedException} when the client must back off. The deadline is the app's SLO
   * from the query's arrival, or its timeout when that is shorter.
   *
   * @param timer runs the SLO timers (the event loop of the client's connection)
   * @param trace records where the request's time goes
   */
  public CompletableFuture<List<Prediction>> predict(MetadataSnapshot snapshot, App app,
      Query query, Scheduler timer, RequestTrace trace) {
    Duration slo = sloOf(app);
    Instant deadline = query.arrival().plus(query.timeout().filter(t -> t.compareTo(slo) < 0)
        .orElse(slo));
    return plan(snapshot, app, query).thenCompose(plan -> {
      List<QueryInput> inputs = query.inputs();
      if (inputs.size() == 1) {
        return answer(app, plan, inputs.get(0), query.arrival(), deadline, slo, timer, trace)
            .thenApply(List::of);
      }
      CompletableFuture<?>[] answers = new CompletableFuture<?>[inputs.size()];
      for (int i = 0; i < answers.length; i++) {
        answers[i] = answer(app, plan, inputs.get(i), query.arrival(), deadline, slo, timer,
            trace);
      }
      return CompletableFuture.allOf(answers).thenApply(done -> Arrays.stream(answers)
          .map(answer -> (Prediction) answer.join()).toList());
    });
  }

  /** The app's latency SLO: every query of a request has it from the request's arrival. */
  static Duration sloOf(App app) {
    return Duration.ofNanos(Math.multiplyExact(app.latencySloMicros(), 1000L));
  }

  /** The selection policy's plan, or a pinned one for a version the client asked for. */
  private CompletableFuture<SelectionPlan> plan(MetadataSnapshot snapshot, App app, Query query) {
    try {
      if (query.version().isPresent()) {
        if (!selector.isSingle(app)) {
          throw new InvalidQueryException("version can only be asked for with the single"
              + " selection policy; application " + app.name() + " uses " + app.policy());
        }
        return CompletableFuture.completedFuture(
            selector.pinned(app, selectVersion(snapshot, app, query.version().get())));
      }
      return selector.plan(snapshot, app, query.uid());
    } catch (UnknownPolicyException e) {
      throw new InvalidQueryException(e.getMessage());
    }
  }

  private CompletableFuture<Prediction> answer(App app, SelectionPlan plan, QueryInput input,
      Instant arrival, Instant deadline, Duration slo, Scheduler timer, RequestTrace trace) {
    List<ModelId> chosen = plan.choose(ThreadLocalRandom.current());
    CompletableFuture<Prediction> prediction;
    if (chosen.isEmpty()) {
      prediction = CompletableFuture.completedFuture(Prediction.defaulted(app.defaultOutput(),
          Prediction.DefaultReason.NO_MODEL, Prediction.NO_CONNECTED_MODELS));
    } else if (!plan.ensemble()) {
      prediction = modelCall.ask(app, chosen.get(0), input, deadline, timer, trace);
    } else {
      prediction = ensemble.ask(app, plan, chosen, input, deadline, timer, trace);
    }
    return prediction.whenComplete((answered, error) -> {
      if (answered != null) {
        metrics.record(app.name(), slo, answered, Duration.between(arrival, clock.instant()));
      }
    });
  }

  /**
   * Clipper's rule for an explicit version: the app's first linked model (in sorted order) at
   * that version, which must exist; empty when the app links no model.
   *
   * @throws UnknownVersionException when the linked model has no such version
   */
  public static Optional<ModelId> selectVersion(MetadataSnapshot snapshot, App app,
      String version) {
    return ModelSelector.singleModel(snapshot, app).map(name -> {
      ModelId requested = new ModelId(name, version);
      if (snapshot.model(requested).isEmpty()) {
        throw new UnknownVersionException("Requested version: " + version
            + " does not exist for model: " + name);
      }
      return requested;
    });
  }
}
