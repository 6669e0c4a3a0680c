package ai.clipper.frontend.selection;

import ai.clipper.metadata.ModelId;
import ai.clipper.metadata.PolicyParams;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Epsilon-greedy (Sutton and Barto, ch. 2): with probability {@code epsilon} a uniformly random
 * model, otherwise the one with the lowest mean loss so far. A model no feedback has scored yet
 * has mean 0, so each is tried early (optimism); ties go to the first in name order.
 */
final class EpsilonGreedyPolicy implements SelectionPolicy {

  @Override
  public String name() {
    return "epsilon_greedy";
  }

  @Override
  public List<ModelId> select(List<ModelId> candidates, SelectionState state,
      PolicyParams params, RandomGenerator random) {
    if (random.nextDouble() < params.epsilon()) {
      return List.of(candidates.get(random.nextInt(candidates.size())));
    }
    ModelId best = candidates.get(0);
    for (ModelId candidate : candidates) {
      if (state.of(candidate.name()).meanLoss() < state.of(best.name()).meanLoss()) {
        best = candidate;
      }
    }
    return List.of(best);
  }
}
