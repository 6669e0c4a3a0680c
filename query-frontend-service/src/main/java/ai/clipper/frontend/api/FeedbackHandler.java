package ai.clipper.frontend.api;

import ai.clipper.frontend.query.Feedback;
import ai.clipper.frontend.query.FeedbackProcessor;
import ai.clipper.frontend.registry.MetadataRegistry;
import ai.clipper.frontend.registry.MetadataSnapshot;
import ai.clipper.frontend.selection.ModelSelector;
import ai.clipper.frontend.selection.SelectionState;
import ai.clipper.frontend.transport.ConnectionTimers;
import ai.clipper.frontend.transport.RawBody;
import ai.clipper.metadata.App;
import ai.clipper.metadata.ModelId;
import ai.clipper.metadata.PolicyParams;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * The selection layer's endpoints: Clipper's {@code POST /{app}/update} (feedback, answered as
 * JSON rather than Clipper's plain text), and ours, {@code GET /{app}/selection?uid=N}, the
 * learned state as Redis holds it now.
 */
@Component
class FeedbackHandler {

  /** One model's learned numbers, and its weight (probability) under the app's policy. */
  record ModelState(@JsonProperty("loss_sum") double lossSum, @JsonProperty("count") long count,
      @JsonProperty("mean_loss") double meanLoss, @JsonProperty("weight") double weight) {
  }

  record StateAnswer(@JsonProperty("app") String app, @JsonProperty("uid") int uid,
      @JsonProperty("policy") String policy, @JsonProperty("models") Map<String, ModelState> models) {
  }

  private final MetadataRegistry registry;
  private final RawBody body;
  private final QueryParser parser;
  private final FeedbackProcessor processor;
  private final ModelSelector selector;
  private final AnswerJson answers;
  private final ConnectionTimers timers;
  private final Clock clock;

  FeedbackHandler(MetadataRegistry registry, RawBody body, QueryParser parser,
      FeedbackProcessor processor, ModelSelector selector, AnswerJson answers,
      ConnectionTimers timers, Clock clock) {
    this.registry = registry;
    this.body = body;
    this.parser = parser;
    this.processor = processor;
    this.selector = selector;
    this.answers = answers;
    this.timers = timers;
    this.clock = clock;
  }

  Mono<ServerResponse> update(ServerRequest request) {
    Instant arrival = clock.instant();
    String appName = request.pathVariable("app");
    return body.read(request.exchange().getRequest()).flatMap(bytes -> {
      MetadataSnapshot snapshot = registry.current();
      App app = snapshot.app(appName).orElseThrow(() -> new AppNotFoundException(appName));
      Feedback feedback = parser.parseFeedback(app, bytes, arrival);
      return Mono.fromFuture(processor.update(snapshot, app, feedback,
          timers.of(request.exchange().getRequest()))).map(answers::feedback);
    }).flatMap(QueryRoutes::json);
  }

  /**
   * Each linked model's loss sum, feedback count and weight: Hedge/Exp3/Exp4 weights
   * {@code exp(-eta L_i)} normalised (for exp3 without its gamma exploration), and for the other
   * policies the same Hedge weights with the default eta, for comparison.
   */
  Mono<ServerResponse> state(ServerRequest request) {
    String appName = request.pathVariable("app");
    int uid = uid(request.queryParam("uid").orElse("0"));
    MetadataSnapshot snapshot = registry.current();
    App app = snapshot.app(appName).orElseThrow(() -> new AppNotFoundException(appName));
    PolicyParams params = app.policyParams();
    List<ModelId> models = selector.candidates(snapshot, app);
    return selector.state(app, uid).map(state -> {
      List<String> names = models.stream().map(ModelId::name).toList();
      double[] weights = state.weights(names, params.eta());
      Map<String, ModelState> shown = new LinkedHashMap<>();
      for (int i = 0; i < names.size(); i++) {
        SelectionState.Stats stats = state.of(names.get(i));
        shown.put(models.get(i).toString(), new ModelState(stats.lossSum(), stats.count(),
            stats.meanLoss(), weights[i]));
      }
      return new StateAnswer(app.name(), uid, app.policy(), shown);
    }).flatMap(answer -> ServerResponse.ok().contentType(MediaType.APPLICATION_JSON)
        .bodyValue(answer));
  }

  private static int uid(String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new InvalidInputException("uid must be a 32-bit integer, not " + value);
    }
  }
}
