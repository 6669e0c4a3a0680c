package ai.clipper.frontend.selection;

import ai.clipper.metadata.ModelId;
import ai.clipper.metadata.PolicyParams;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * How an app picks among its linked models, after Clipper's selection layer (NSDI 2017 §5):
 * select the model(s) a query goes to, combine what they answered, and learn from feedback.
 * Policies are stateless objects: the learned state lives in Redis per (app, uid) as
 * {@link SelectionState}, so every frontend shares it and a restart loses nothing.
 */
public interface SelectionPolicy {

  /** The name used in {@code set_selection_policy}. */
  String name();

  /**
   * The models to query for one input.
   *
   * @param candidates the linked models at their current version, sorted by name (never empty)
   */
  List<ModelId> select(List<ModelId> candidates, SelectionState state, PolicyParams params,
      RandomGenerator random);

  /** Whether {@link #select} queries every candidate and {@link #combine} merges them. */
  default boolean ensemble() {
    return false;
  }

  /**
   * One output from those that arrived (in candidate order, never empty); a single-model policy
   * has exactly one.
   */
  default String combine(Map<ModelId, String> arrived, SelectionState state,
      PolicyParams params) {
    return arrived.values().iterator().next();
  }

  /** Samples an index from the probabilities {@code p} (summing to 1). */
  static int sample(double[] p, RandomGenerator random) {
    double u = random.nextDouble();
    double cumulative = 0;
    for (int i = 0; i < p.length; i++) {
      cumulative += p[i];
      if (u < cumulative) {
        return i;
      }
    }
    return p.length - 1;
  }

  static List<String> names(List<ModelId> models) {
    return models.stream().map(ModelId::name).toList();
  }
}
