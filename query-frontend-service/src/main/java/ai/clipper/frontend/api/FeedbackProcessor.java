package ai.clipper.frontend.api;

import ai.clipper.frontend.batching.ModelQueues;
import ai.clipper.frontend.batching.NoConnectedModelsException;
import ai.clipper.frontend.batching.OverloadedException;
import ai.clipper.frontend.cache.PredictionCache;
import ai.clipper.frontend.registry.MetadataRegistry;
import ai.clipper.frontend.registry.MetadataSnapshot;
import ai.clipper.frontend.selection.ModelSelector;
import ai.clipper.frontend.selection.PolicyConfig;
import ai.clipper.metadata.App;
import ai.clipper.metadata.ModelId;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Answers {@code POST /{app}/update}: scores every linked model's prediction for the input
 * (from the prediction cache when the query was just answered, which is why Clipper caches;
 * otherwise asked now, within the app's SLO) against the label with the app's loss, and adds
 * the losses to the (app, uid) selection state in one atomic Redis step.
 *
 * <p>Every linked model is scored, whatever the policy (ab and single learn nothing from it, but
 * the state is there when the app switches to a learning policy). A model that fails or misses
 * the SLO is charged the maximum loss 1: an answer that does not arrive is worth nothing to the
 * app. A model with no connected replica is not scored at all, so a model still starting is not
 * punished.
 */
@Component
class FeedbackProcessor {

  /** The JSON answer of an update. */
  record FeedbackAnswer(
      @JsonProperty("message") String message,
      @JsonProperty("uid") int uid,
      @JsonProperty("losses") Map<String, Double> losses,
      @JsonProperty("unscored_models") List<String> unscoredModels) {
  }

  private final MetadataRegistry registry;
  private final QueryParser parser;
  private final ModelQueues queues;
  private final PredictionCache cache;
  private final ModelSelector selector;
  private final Clock clock;

  FeedbackProcessor(MetadataRegistry registry, QueryParser parser, ModelQueues queues,
      PredictionCache cache, ModelSelector selector, Clock clock) {
    this.registry = registry;
    this.parser = parser;
    this.queues = queues;
    this.cache = cache;
    this.selector = selector;
    this.clock = clock;
  }

  Mono<FeedbackAnswer> update(String appName, byte[] body) {
    MetadataSnapshot snapshot = registry.current();
    App app = snapshot.app(appName).orElseThrow(() -> new AppNotFoundException(appName));
    FeedbackRequest request = parser.parseFeedback(app, body);
    PolicyConfig config = selector.config(app);
    Duration slo = Duration.ofNanos(Math.multiplyExact(app.latencySloMicros(), 1000L));
    Instant deadline = clock.instant().plus(slo);
    List<ModelId> models = selector.candidates(snapshot, app);
    if (models.isEmpty()) {
      return Mono.just(new FeedbackAnswer("Feedback received", request.uid(), Map.of(),
          List.of()));
    }
    List<Mono<Optional<Double>>> scored = models.stream()
        .map(model -> cache.get(app, model, request.input(),
                () -> queues.submit(model, request.input(), deadline))
            .map(output -> Optional.of(config.loss().of(output, request.label(),
                config.lossScale())))
            .timeout(slo, Mono.just(Optional.of(1.0)))
            .onErrorResume(e -> !(e instanceof OverloadedException),
                e -> Mono.just(e instanceof NoConnectedModelsException
                    ? Optional.empty() : Optional.of(1.0))))
        .toList();
    return Mono.zip(scored, results -> results).flatMap(results -> {
      Map<ModelId, Double> losses = new LinkedHashMap<>();
      List<String> unscored = new ArrayList<>();
      for (int i = 0; i < results.length; i++) {
        @SuppressWarnings("unchecked")
        Optional<Double> loss = (Optional<Double>) results[i];
        ModelId model = models.get(i);
        loss.ifPresentOrElse(l -> losses.put(model, l), () -> unscored.add(model.toString()));
      }
      Map<String, Double> shown = new LinkedHashMap<>();
      losses.forEach((model, loss) -> shown.put(model.toString(), loss));
      return selector.feedback(app, request.uid(), losses).thenReturn(
          new FeedbackAnswer("Feedback received", request.uid(), shown, unscored));
    });
  }
}
