package ai.clipper.frontend.selection;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What feedback taught about an (app, uid): per model name, the sum of its losses and how many
 * feedbacks scored it. These two sums are sufficient statistics for every policy here (Hedge /
 * Exp3 / Exp4 weights are {@code exp(-eta * lossSum)}, epsilon-greedy uses the mean loss), and
 * sums can be updated atomically with {@code HINCRBYFLOAT}, so no update is ever lost.
 */
public record SelectionState(Map<String, Stats> models) {

  /** The prior: nothing learned yet, every model equal. */
  public static final SelectionState EMPTY = new SelectionState(Map.of());

  /** One model's feedback so far. */
  public record Stats(double lossSum, long count) {

    static final Stats NONE = new Stats(0, 0);

    public double meanLoss() {
      return count == 0 ? 0 : lossSum / count;
    }
  }

  public SelectionState {
    models = Map.copyOf(models);
  }

  public Stats of(String model) {
    return models.getOrDefault(model, Stats.NONE);
  }

  /** Reads the Redis hash: fields {@code <model>.loss} and {@code <model>.count}. */
  public static SelectionState fromHash(Map<String, String> hash) {
    Map<String, double[]> sums = new HashMap<>();
    hash.forEach((field, value) -> {
      int dot = field.lastIndexOf('.');
      if (dot <= 0) {
        return;
      }
      double[] pair = sums.computeIfAbsent(field.substring(0, dot), m -> new double[2]);
      try {
        switch (field.substring(dot + 1)) {
          case "loss" -> pair[0] = Double.parseDouble(value);
          case "count" -> pair[1] = Double.parseDouble(value);
          default -> { }
        }
      } catch (NumberFormatException ignored) {
        // a foreign field: ignore it
      }
    });
    Map<String, Stats> models = new HashMap<>();
    sums.forEach((model, pair) -> models.put(model, new Stats(pair[0], (long) pair[1])));
    return new SelectionState(models);
  }

  /**
   * Normalised Hedge weights {@code exp(-eta * L_i) / sum_j exp(-eta * L_j)} of the named
   * models, computed relative to the smallest loss so nothing underflows to 0/0.
   */
  public double[] weights(List<String> modelNames, double eta) {
    double min = Double.POSITIVE_INFINITY;
    for (String name : modelNames) {
      min = Math.min(min, of(name).lossSum());
    }
    double[] weights = new double[modelNames.size()];
    double sum = 0;
    for (int i = 0; i < weights.length; i++) {
      weights[i] = Math.exp(-eta * (of(modelNames.get(i)).lossSum() - min));
      sum += weights[i];
    }
    for (int i = 0; i < weights.length; i++) {
      weights[i] /= sum;
    }
    return weights;
  }
}
