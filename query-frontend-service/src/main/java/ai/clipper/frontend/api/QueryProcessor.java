package ai.clipper.frontend.api;

import ai.clipper.frontend.batching.ModelQueues;
import ai.clipper.frontend.batching.NoConnectedModelsException;
import ai.clipper.frontend.batching.OverloadedException;
import ai.clipper.frontend.batching.QueryExpiredException;
import ai.clipper.frontend.cache.PredictionCache;
import ai.clipper.frontend.registry.MetadataRegistry;
import ai.clipper.frontend.registry.MetadataSnapshot;
import ai.clipper.metadata.App;
import ai.clipper.metadata.ModelId;
import io.grpc.Status;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Answers a predict request: finds the app, parses the body, picks the model version, queues
 * each input (through the prediction cache) and bounds each answer by the app's SLO, falling
 * back to the default output.
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

  QueryProcessor(MetadataRegistry registry, QueryParser parser, ModelQueues queues,
      PredictionCache cache, SloGuard sloGuard, OutputJson outputJson, PredictionMetrics metrics,
      Clock clock) {
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
    Optional<ModelId> model = selectModel(snapshot, app, request.version());
    List<Mono<PredictionAnswer>> answers = request.inputs().stream()
        .map(input -> answer(app, model, input, deadline, slo, startNanos))
        .toList();
    if (!request.batch()) {
      return answers.get(0).cast(Object.class);
    }
    // zip subscribes to every query at once, and keeps the input order.
    return Mono.zip(answers, results -> new PredictionAnswer.Batch(Arrays.stream(results)
        .map(PredictionAnswer.class::cast).toList()));
  }

  private Mono<PredictionAnswer> answer(App app, Optional<ModelId> model, Object input,
      Instant deadline, Duration slo, long startNanos) {
    long queryId = queryIds.getAndIncrement();
    Mono<Prediction> prediction = model
        // Only the model's own outputs pass through the cache, never a default.
        .map(id -> cache.get(app, id, input, () -> queues.submit(id, input, deadline))
            .map(Prediction::of)
            .onErrorResume(e -> !(e instanceof OverloadedException),
                e -> Mono.just(Prediction.defaulted(app.defaultOutput(), explain(e)))))
        .orElseGet(() -> Mono.just(
            Prediction.defaulted(app.defaultOutput(), Prediction.NO_CONNECTED_MODELS)));
    return sloGuard.within(prediction, slo,
            () -> Prediction.defaulted(app.defaultOutput(), Prediction.SLO_MISSED))
        .doOnNext(p -> metrics.record(app.name(), slo, p,
            Duration.ofNanos(System.nanoTime() - startNanos)))
        .map(p -> new PredictionAnswer(queryId, outputJson.of(p.output()), p.isDefault(),
            p.explanation()));
  }

  /**
   * Clipper's single-model selection: the app's linked model (the first in sorted order when
   * several are linked, until selection policies arrive) at its current version, or the version
   * the client asked for.
   */
  private static Optional<ModelId> selectModel(MetadataSnapshot snapshot, App app,
      Optional<String> version) {
    List<String> linked = snapshot.linkedModels(app.name());
    if (linked.isEmpty()) {
      return Optional.empty();
    }
    String name = linked.get(0);
    if (version.isPresent()) {
      ModelId requested = new ModelId(name, version.get());
      if (snapshot.model(requested).isEmpty()) {
        throw new QueryProcessingException("Requested version: " + version.get()
            + " does not exist for model: " + name);
      }
      return Optional.of(requested);
    }
    return snapshot.currentVersion(name).map(current -> new ModelId(name, current));
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
