package ai.clipper.frontend.api;

import ai.clipper.frontend.batching.ModelQueues;
import ai.clipper.frontend.batching.NoConnectedModelsException;
import ai.clipper.frontend.batching.OverloadedException;
import ai.clipper.frontend.batching.QueryExpiredException;
import ai.clipper.frontend.cache.PredictionCache;
import ai.clipper.frontend.registry.MetadataRegistry;
import ai.clipper.frontend.registry.MetadataSnapshot;
import ai.clipper.frontend.selection.ModelSelector;
import ai.clipper.frontend.selection.SelectionPlan;
import ai.clipper.frontend.selection.UnknownPolicyException;
import ai.clipper.metadata.App;
import ai.clipper.metadata.ModelId;
import io.grpc.Status;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Answers a predict request: finds the app, parses the body, lets the app's selection policy
 * pick the model version(s) per input, queues each (through the prediction cache), combines an
 * ensemble's outputs, and bounds each answer by the app's SLO, falling back to the default.
 */
@Component
class QueryProcessor {

  private final AtomicLong queryIds = new AtomicLong();
  private final MetadataRegistry registry;
  private final QueryParser parser;
  private final ModelQueues queues;
  private final PredictionCache cache;
  private final SloGuard sloGuard;
  private final OutputJson outputJson;
  private final PredictionMetrics metrics;
  private final Clock clock;
  private final ModelSelector selector;

  QueryProcessor(MetadataRegistry registry, QueryParser parser, ModelQueues queues,
      PredictionCache cache, SloGuard sloGuard, OutputJson outputJson, PredictionMetrics metrics,
      Clock clock, ModelSelector selector) {
    this.selector = selector;
    this.registry = registry;
    this.parser = parser;
    this.queues = queues;
    this.cache = cache;
    this.sloGuard = sloGuard;
    this.outputJson = outputJson;
    this.metrics = metrics;
    this.clock = clock;
  }

  /** A {@link PredictionAnswer}, or a {@link PredictionAnswer.Batch} for an input_batch. */
  Mono<Object> predict(String appName, byte[] body) {
    MetadataSnapshot snapshot = registry.current();
    App app = snapshot.app(appName).orElseThrow(() -> new AppNotFoundException(appName));
    QueryRequest request = parser.parse(app, body);
    // The SLO starts now, when the request is parsed.
    long startNanos = System.nanoTime();
    Duration slo = Duration.ofNanos(Math.multiplyExact(app.latencySloMicros(), 1000L));
    Instant deadline = clock.instant().plus(slo);
    return plan(snapshot, app, request).flatMap(plan -> {
      List<Mono<PredictionAnswer>> answers = request.inputs().stream()
          .map(input -> answer(app, plan, input, deadline, slo, startNanos))
          .toList();
      if (!request.batch()) {
        return answers.get(0).cast(Object.class);
      }
      // zip subscribes to every query at once, and keeps the input order.
      return Mono.zip(answers, results -> new PredictionAnswer.Batch(Arrays.stream(results)
          .map(PredictionAnswer.class::cast).toList()));
    });
  }

  /** The selection policy's plan, or a pinned one for a version the client asked for. */
  private Mono<SelectionPlan> plan(MetadataSnapshot snapshot, App app, QueryRequest request) {
    try {
      if (request.version().isPresent()) {
        if (!selector.isSingle(app)) {
          throw new QueryProcessingException("version can only be asked for with the single"
              + " selection policy; application " + app.name() + " uses " + app.policy());
        }
        return Mono.just(selector.pinned(app, selectVersion(snapshot, app, request.version())));
      }
      return selector.plan(snapshot, app, request.uid());
    } catch (UnknownPolicyException e) {
      throw new QueryProcessingException(e.getMessage());
    }
  }

  private Mono<PredictionAnswer> answer(App app, SelectionPlan plan, Object input,
      Instant deadline, Duration slo, long startNanos) {
    long queryId = queryIds.getAndIncrement();
    List<ModelId> chosen = plan.choose(ThreadLocalRandom.current());
    Mono<Prediction> prediction;
    if (chosen.isEmpty()) {
      prediction = Mono.just(
          Prediction.defaulted(app.defaultOutput(), Prediction.NO_CONNECTED_MODELS));
    } else if (!plan.ensemble()) {
      ModelId model = chosen.get(0);
      prediction = sloGuard.within(ask(app, model, input, deadline).map(p -> p.from(model)),
          slo, () -> Prediction.defaulted(app.defaultOutput(), Prediction.SLO_MISSED));
    } else {
      // Each member is bounded by the SLO already; a second timer would race them.
      prediction = ensemble(app, plan, chosen, input, deadline, slo);
    }
    return prediction
        .doOnNext(p -> metrics.record(app.name(), slo, p,
            Duration.ofNanos(System.nanoTime() - startNanos)))
        .map(p -> PredictionAnswer.of(queryId, outputJson.of(p.output()), p));
  }

  /** One model's prediction: through the cache and its queue, or the default with why. */
  private Mono<Prediction> ask(App app, ModelId model, Object input, Instant deadline) {
    // Only the model's own outputs pass through the cache, never a default.
    return cache.get(app, model, input, () -> queues.submit(model, input, deadline))
        .map(Prediction::of)
        .onErrorResume(e -> !(e instanceof OverloadedException),
            e -> Mono.just(Prediction.defaulted(app.defaultOutput(), explain(e))));
  }

  /**
   * Asks every chosen model, each bounded by the SLO, and combines what arrived by then
   * (Clipper §5.2.2: stragglers are left out, not waited for); the default only when nothing
   * arrived.
   */
  private Mono<Prediction> ensemble(App app, SelectionPlan plan, List<ModelId> models,
      Object input, Instant deadline, Duration slo) {
    List<Mono<Prediction>> asked = models.stream()
        .map(model -> sloGuard.within(ask(app, model, input, deadline), slo,
            () -> Prediction.defaulted(app.defaultOutput(), Prediction.SLO_MISSED)))
        .toList();
    return Mono.zip(asked, results -> {
      Map<ModelId, String> arrived = new LinkedHashMap<>();
      List<String> missing = new ArrayList<>();
      String why = null;
      for (int i = 0; i < results.length; i++) {
        Prediction p = (Prediction) results[i];
        if (p.isDefault()) {
          missing.add(models.get(i).toString());
          why = why == null || Prediction.SLO_MISSED.equals(p.explanation()) ? p.explanation() : why;
        } else {
          arrived.put(models.get(i), p.output());
        }
      }
      List<String> used = arrived.keySet().stream().map(ModelId::toString).toList();
      Prediction combined = arrived.isEmpty()
          ? Prediction.defaulted(app.defaultOutput(), why)
          : Prediction.of(plan.combine(arrived));
      return combined.fromEnsemble(used, missing);
    });
  }

  /**
   * Clipper's rule for an explicit version: the app's first linked model (in sorted order) at
   * that version, which must exist.
   */
  private static Optional<ModelId> selectVersion(MetadataSnapshot snapshot, App app,
      Optional<String> version) {
    List<String> linked = snapshot.linkedModels(app.name());
    if (linked.isEmpty()) {
      return Optional.empty();
    }
    String name = linked.get(0);
    ModelId requested = new ModelId(name, version.orElseThrow());
    if (snapshot.model(requested).isEmpty()) {
      throw new QueryProcessingException("Requested version: " + version.get()
          + " does not exist for model: " + name);
    }
    return Optional.of(requested);
  }

  private static String explain(Throwable error) {
    if (error instanceof NoConnectedModelsException) {
      return Prediction.NO_CONNECTED_MODELS;
    }
    Status status = Status.fromThrowable(error);
    if (error instanceof QueryExpiredException
        || status.getCode() == Status.Code.DEADLINE_EXCEEDED) {
      return Prediction.SLO_MISSED;
    }
    if (status.getCode() != Status.Code.UNKNOWN || status.getDescription() != null) {
      return "Model error: " + status.getCode()
          + (status.getDescription() == null ? "" : ": " + status.getDescription());
    }
    return "Model error: " + error.getMessage();
  }
}
