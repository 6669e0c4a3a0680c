package ai.clipper.frontend.selection;

import ai.clipper.metadata.ModelId;
import ai.clipper.metadata.PolicyParams;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Clipper's behaviour and the default: the current version of the linked model. With several
 * linked models it keeps our earlier rule, the first in sorted order, rather than Clipper's
 * "Too many models linked" error, so apps that linked several models before choosing a policy
 * keep answering exactly as before.
 */
final class SinglePolicy implements SelectionPolicy {

  @Override
  public String name() {
    return "single";
  }

  @Override
  public List<ModelId> select(List<ModelId> candidates, SelectionState state,
      PolicyParams params, RandomGenerator random) {
    return List.of(candidates.get(0));
  }
}
