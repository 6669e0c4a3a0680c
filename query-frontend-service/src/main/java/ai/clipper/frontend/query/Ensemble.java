package ai.clipper.frontend.query;

import ai.clipper.frontend.input.QueryInput;
import ai.clipper.frontend.tracing.RequestTrace;
import ai.clipper.frontend.selection.SelectionPlan;
import ai.clipper.metadata.App;
import ai.clipper.metadata.ModelId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.springframework.stereotype.Component;
import reactor.core.scheduler.Scheduler;

/**
 * Asks every chosen model for one input, each by the same deadline, and combines what arrived
 * by then (Clipper §5.2.2: stragglers are left out, not waited for); the default only when
 * nothing arrived. A member whose queue says back off makes the whole answer a 503.
 */
@Component
class Ensemble {

  private final ModelCall modelCall;

  Ensemble(ModelCall modelCall) {
    this.modelCall = modelCall;
  }

  CompletableFuture<Prediction> ask(App app, SelectionPlan plan, List<ModelId> models,
      QueryInput input, Instant deadline, Scheduler timer, RequestTrace trace) {
    List<CompletableFuture<Prediction>> asked = models.stream()
        .map(model -> modelCall.ask(app, model, input, deadline, timer, trace))
        .toList();
    return CompletableFuture.allOf(asked.toArray(CompletableFuture[]::new))
        .thenApply(done -> combine(app, plan, models, asked));
  }

  private static Prediction combine(App app, SelectionPlan plan, List<ModelId> models,
      List<CompletableFuture<Prediction>> asked) {
    Map<ModelId, String> arrived = new LinkedHashMap<>();
    List<String> missing = new ArrayList<>();
    Prediction firstMiss = null;
    for (int i = 0; i < models.size(); i++) {
      Prediction p = asked.get(i).join();
      if (p.isDefault()) {
        missing.add(models.get(i).toString());
        // The SLO is the likeliest reason the app cares about: it wins over the others.
        if (firstMiss == null || p.reason() == Prediction.DefaultReason.SLO) {
          firstMiss = p;
        }
      } else {
        arrived.put(models.get(i), p.output());
      }
    }
    List<String> used = arrived.keySet().stream().map(ModelId::toString).toList();
    Prediction combined = arrived.isEmpty()
        ? Prediction.defaulted(app.defaultOutput(), firstMiss.reason(), firstMiss.explanation())
        : Prediction.of(plan.combine(arrived));
    return combined.fromEnsemble(used, missing);
  }
}
