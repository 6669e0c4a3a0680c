package ai.clipper.frontend.query;

import ai.clipper.frontend.tracing.RequestTrace;
import ai.clipper.frontend.registry.MetadataSnapshot;
import ai.clipper.frontend.selection.ModelSelector;
import ai.clipper.metadata.App;
import ai.clipper.metadata.ModelId;
import ai.clipper.metadata.PolicyParams;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.springframework.stereotype.Component;
import reactor.core.scheduler.Scheduler;

/**
 * Learns from feedback: scores every linked model's prediction for the input (from the
 * prediction cache when the query was just answered, which is why Clipper caches; otherwise asked
 * now through {@link ModelCall}, within the app's SLO) against the label with the app's loss,
 * and adds the losses to the (app, uid) selection state in one atomic Redis step.
 *
 * <p>Every linked model is scored, whatever the policy (ab and single learn nothing from it, but
 * the state is there when the app switches to a learning policy). A model that fails or misses
 * the SLO is charged the maximum loss 1: an answer that does not arrive is worth nothing to the
 * app. A model with no connected replica is not scored at all, so a model still starting is not
 * punished.
 */
@Component
public class FeedbackProcessor {

  /**
   * What one feedback did.
   *
   * @param losses the loss charged to each scored model version
   * @param unscoredModels the model versions with no connected replica
   */
  public record Result(int uid, Map<String, Double> losses, List<String> unscoredModels) {
  }

  private final ModelSelector selector;
  private final ModelCall modelCall;

  FeedbackProcessor(ModelSelector selector, ModelCall modelCall) {
    this.selector = selector;
    this.modelCall = modelCall;
  }

  /** Fails only with {@link OverloadedException}, when a model's queue says back off. */
  public CompletableFuture<Result> update(MetadataSnapshot snapshot, App app, Feedback feedback,
      Scheduler timer) {
    PolicyParams params = app.policyParams();
    Instant deadline = feedback.arrival().plus(QueryPipeline.sloOf(app));
    List<ModelId> models = selector.candidates(snapshot, app);
    RequestTrace trace = RequestTrace.untraced();
    List<CompletableFuture<Prediction>> asked = models.stream()
        .map(model -> modelCall.ask(app, model, feedback.input(), deadline, timer, trace))
        .toList();
    return CompletableFuture.allOf(asked.toArray(CompletableFuture[]::new)).thenCompose(done -> {
      Map<ModelId, Double> losses = new LinkedHashMap<>();
      List<String> unscored = new ArrayList<>();
      for (int i = 0; i < models.size(); i++) {
        Prediction p = asked.get(i).join();
        ModelId model = models.get(i);
        if (p.reason() == Prediction.DefaultReason.NO_MODEL) {
          unscored.add(model.toString());
        } else {
          losses.put(model, p.isDefault() ? 1.0
              : params.loss().of(p.output(), feedback.label(), params.lossScale()));
        }
      }
      Map<String, Double> shown = new LinkedHashMap<>();
      losses.forEach((model, loss) -> shown.put(model.toString(), loss));
      return selector.feedback(app, feedback.uid(), losses)
          .thenApply(recorded -> new Result(feedback.uid(), shown, unscored));
    });
  }
}
