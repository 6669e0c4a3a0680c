package ai.clipper.frontend.selection;

import ai.clipper.metadata.ModelId;
import ai.clipper.metadata.PolicyParams;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * What one request's queries are chosen from: the app's policy and parameters, the candidate
 * model versions, and the state of the request's uid, read once per request.
 */
public record SelectionPlan(String app, SelectionPolicy policy, PolicyParams params,
    List<ModelId> candidates, SelectionState state, SelectionMetrics metrics) {

  public SelectionPlan {
    candidates = List.copyOf(candidates);
  }

  /** Whether answers combine several models (and say which were missing). */
  public boolean ensemble() {
    return policy.ensemble();
  }

  /** The model versions one query goes to; empty when no linked model has a version. */
  public List<ModelId> choose(RandomGenerator random) {
    if (candidates.isEmpty()) {
      return List.of();
    }
    List<ModelId> chosen = policy.select(candidates, state, params, random);
    chosen.forEach(model -> metrics.selected(app, model));
    return chosen;
  }

  /** The answer from the outputs that arrived (in candidate order, not empty). */
  public String combine(Map<ModelId, String> arrived) {
    return policy.combine(arrived, state, params);
  }
}
