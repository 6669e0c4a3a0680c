package ai.clipper.frontend.selection;

import ai.clipper.metadata.Loss;
import ai.clipper.metadata.ModelId;
import ai.clipper.metadata.PolicyParams;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Exp4 as Clipper uses it (§5.2, after Auer et al. 2002): an ensemble. Every linked model is
 * queried and their outputs combined by the learned weights {@code exp(-eta * L_i)}: a weighted
 * vote for labels (loss {@code zero_one}), a weighted average for numbers (loss
 * {@code absolute}). Each model's weight is updated by its own loss, since feedback scores all.
 * Only the models that answered within the SLO vote, their weights renormalised (§5.2.2:
 * stragglers are left out rather than waited for).
 */
final class Exp4Policy implements SelectionPolicy {

  @Override
  public String name() {
    return "exp4";
  }

  @Override
  public List<ModelId> select(List<ModelId> candidates, SelectionState state,
      PolicyParams params, RandomGenerator random) {
    return candidates;
  }

  @Override
  public boolean ensemble() {
    return true;
  }

  @Override
  public String combine(Map<ModelId, String> arrived, SelectionState state,
      PolicyParams params) {
    List<ModelId> models = new ArrayList<>(arrived.keySet());
    double[] weights = state.weights(SelectionPolicy.names(models), params.eta());
    if (params.loss() == Loss.ABSOLUTE) {
      double sum = 0;
      for (int i = 0; i < models.size(); i++) {
        Double value = number(arrived.get(models.get(i)));
        if (value == null) {
          return vote(models, weights, arrived);
        }
        sum += weights[i] * value;
      }
      return format(sum);
    }
    return vote(models, weights, arrived);
  }

  /** The output with the most weight behind it; outputs equal as numbers vote together. */
  private static String vote(List<ModelId> models, double[] weights, Map<ModelId, String> arrived) {
    Map<Object, Double> tally = new LinkedHashMap<>();
    Map<Object, String> shown = new LinkedHashMap<>();
    for (int i = 0; i < models.size(); i++) {
      String output = arrived.get(models.get(i));
      Double value = number(output);
      Object key = value != null ? value : output;
      tally.merge(key, weights[i], Double::sum);
      shown.putIfAbsent(key, output);
    }
    Object best = null;
    for (Map.Entry<Object, Double> entry : tally.entrySet()) {
      if (best == null || entry.getValue() > tally.get(best)) {
        best = entry.getKey();
      }
    }
    return shown.get(best);
  }

  private static Double number(String output) {
    try {
      double value = Double.parseDouble(output.trim());
      return Double.isFinite(value) ? value : null;
    } catch (NumberFormatException notANumber) {
      return null;
    }
  }

  private static String format(double value) {
    return value == Math.rint(value) && Math.abs(value) < 1e15
        ? Long.toString((long) value) : Double.toString(value);
  }
}
