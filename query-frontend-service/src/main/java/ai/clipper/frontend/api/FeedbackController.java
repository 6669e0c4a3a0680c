package ai.clipper.frontend.api;

import ai.clipper.frontend.registry.MetadataRegistry;
import ai.clipper.frontend.selection.ModelSelector;
import ai.clipper.frontend.selection.PolicyConfig;
import ai.clipper.frontend.selection.SelectionState;
import ai.clipper.metadata.App;
import ai.clipper.metadata.ModelId;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * The selection layer's endpoints: Clipper's {@code POST /{app}/update} (feedback, answered as
 * JSON rather than Clipper's plain text), and ours, {@code GET /{app}/selection?uid=N}, the
 * learned state as Redis holds it now.
 */
@RestController
class FeedbackController {

  /** One model's learned numbers, and its weight (probability) under the app's policy. */
  record ModelState(@JsonProperty("loss_sum") double lossSum, @JsonProperty("count") long count,
      @JsonProperty("mean_loss") double meanLoss, @JsonProperty("weight") double weight) {
  }

  record StateAnswer(@JsonProperty("app") String app, @JsonProperty("uid") int uid,
      @JsonProperty("policy") String policy, @JsonProperty("models") Map<String, ModelState> models) {
  }

  private final FeedbackProcessor processor;
  private final MetadataRegistry registry;
  private final ModelSelector selector;
  private final RawBody body;

  FeedbackController(FeedbackProcessor processor, MetadataRegistry registry,
      ModelSelector selector, RawBody body) {
    this.processor = processor;
    this.registry = registry;
    this.selector = selector;
    this.body = body;
  }

  @PostMapping(path = {"/{app}/update", "/{app}/update/"},
      produces = MediaType.APPLICATION_JSON_VALUE)
  Mono<FeedbackProcessor.FeedbackAnswer> update(@PathVariable String app,
      ServerHttpRequest request) {
    return body.read(request).flatMap(bytes -> Mono.defer(() -> processor.update(app, bytes)));
  }

  /**
   * Each linked model's loss sum, feedback count and weight: Hedge/Exp3/Exp4 weights
   * {@code exp(-eta L_i)} normalised (for exp3 without its gamma exploration), and for the other
   * policies the same Hedge weights with the default eta, for comparison.
   */
  @GetMapping(path = "/{app}/selection", produces = MediaType.APPLICATION_JSON_VALUE)
  Mono<StateAnswer> state(@PathVariable("app") String appName, @RequestParam(defaultValue = "0") int uid) {
    App app = registry.current().app(appName)
        .orElseThrow(() -> new AppNotFoundException(appName));
    PolicyConfig config = selector.config(app);
    List<ModelId> models = selector.candidates(registry.current(), app);
    return selector.state(app, uid).map(state -> {
      List<String> names = models.stream().map(ModelId::name).toList();
      double[] weights = state.weights(names, config.eta());
      Map<String, ModelState> shown = new LinkedHashMap<>();
      for (int i = 0; i < names.size(); i++) {
        SelectionState.Stats stats = state.of(names.get(i));
        shown.put(models.get(i).toString(), new ModelState(stats.lossSum(), stats.count(),
            stats.meanLoss(), weights[i]));
      }
      return new StateAnswer(app.name(), uid, app.policy(), shown);
    });
  }
}
