package ai.clipper.frontend.selection;

import ai.clipper.metadata.ModelId;
import ai.clipper.metadata.PolicyParams;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Fixed weights per model, for canaries and A/B tests: each query goes to one model drawn with
 * probability proportional to its weight. Linked models without a weight get none; when no
 * linked model has a positive weight (a weighted model was unlinked), traffic is split evenly
 * rather than answering defaults. Feedback is still recorded, so the state shows each arm's
 * loss, but it never moves the weights.
 */
final class AbPolicy implements SelectionPolicy {

  @Override
  public String name() {
    return "ab";
  }

  @Override
  public List<ModelId> select(List<ModelId> candidates, SelectionState state,
      PolicyParams params, RandomGenerator random) {
    double[] p = new double[candidates.size()];
    double sum = 0;
    for (int i = 0; i < p.length; i++) {
      p[i] = Math.max(0, params.weights().getOrDefault(candidates.get(i).name(), 0.0));
      sum += p[i];
    }
    for (int i = 0; i < p.length; i++) {
      p[i] = sum > 0 ? p[i] / sum : 1.0 / p.length;
    }
    return List.of(candidates.get(SelectionPolicy.sample(p, random)));
  }
}
