package ai.clipper.examples;

import ai.clipper.sdk.Model;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * {@code java-noisy}: a classifier that is right with a chosen probability, for simulating model
 * selection. The right label of an input x is {@code x[0] > 0 ? 1 : 0}; the model answers it
 * with probability {@code ACCURACY} (default 0.9) and the other label otherwise. Whether it is
 * right is a deterministic function of the input and {@code SEED} (default 1), so a repeated
 * query gets the same answer (the prediction cache stays truthful) while models with different
 * seeds err on different inputs.
 */
public final class NoisyLabelModel implements Model<double[]> {

  private final double accuracy;
  private final long seed;

  public NoisyLabelModel() {
    this(System.getenv());
  }

  NoisyLabelModel(Map<String, String> env) {
    this.accuracy = Double.parseDouble(env.getOrDefault("ACCURACY", "0.9"));
    this.seed = Long.parseLong(env.getOrDefault("SEED", "1"));
  }

  /** The label the simulation treats as the truth for {@code x}. */
  static int truth(double[] x) {
    return x.length > 0 && x[0] > 0 ? 1 : 0;
  }

  @Override
  public List<String> predict(List<double[]> inputs) {
    return inputs.stream().map(x -> {
      int label = truth(x);
      return Integer.toString(uniform(x) < accuracy ? label : 1 - label);
    }).toList();
  }

  /** A uniform number in [0, 1) that depends only on the input and the seed (SplitMix64). */
  double uniform(double[] x) {
    long h = seed * 0x9E3779B97F4A7C15L + Arrays.hashCode(x);
    for (double v : x) {
      h = mix(h ^ Double.doubleToLongBits(v));
    }
    h = mix(h);
    return (h >>> 11) * 0x1.0p-53;
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
