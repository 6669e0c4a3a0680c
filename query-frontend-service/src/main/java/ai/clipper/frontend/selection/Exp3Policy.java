package ai.clipper.frontend.selection;

import ai.clipper.metadata.ModelId;
import ai.clipper.metadata.PolicyParams;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Exp3 (Auer, Cesa-Bianchi, Freund, Schapire, "The nonstochastic multiarmed bandit problem",
 * 2002; Clipper §5.1): one model per query, drawn from {@code p_i = (1 - gamma) w_i / sum w +
 * gamma / K}.
 *
 * <p>The weights are {@code w_i = exp(-eta * L_i)} with {@code L_i} model i's cumulative loss.
 * Exp3 proper sees only the chosen arm's loss and importance-weights it ({@code l / p_i}); but
 * {@code /update} does not say which model served the query, so it scores every linked model on
 * the input (from the prediction cache when the query was just answered, as Clipper intended
 * for its cache) and each arm gets its own loss: the full-information case, where the update is
 * Hedge (Freund and Schapire 1997), which learns faster and has lower variance than the
 * importance-weighted estimate. {@code gamma} keeps some exploration for drifting models.
 */
final class Exp3Policy implements SelectionPolicy {

  @Override
  public String name() {
    return "exp3";
  }

  @Override
  public List<ModelId> select(List<ModelId> candidates, SelectionState state,
      PolicyParams params, RandomGenerator random) {
    return List.of(candidates.get(SelectionPolicy.sample(
        probabilities(candidates, state, params), random)));
  }

  static double[] probabilities(List<ModelId> candidates, SelectionState state,
      PolicyParams params) {
    double[] p = state.weights(SelectionPolicy.names(candidates), params.eta());
    double gamma = params.gamma();
    for (int i = 0; i < p.length; i++) {
      p[i] = (1 - gamma) * p[i] + gamma / p.length;
    }
    return p;
  }
}
