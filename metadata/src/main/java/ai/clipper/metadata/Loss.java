package ai.clipper.metadata;

import java.util.Arrays;
import java.util.Optional;

/**
 * How a model's output is scored against a feedback label, always into [0, 1] so that the Exp3 /
 * Exp4 bounds (Auer et al. 2002, which assume losses in [0, 1]) hold.
 */
public enum Loss {

  /** Labels: 0 when the output equals the label (as numbers), else 1. */
  ZERO_ONE("zero_one"),
  /** Numbers: {@code min(1, |output - label| / scale)}; a non-numeric output loses 1. */
  ABSOLUTE("absolute");

  private final String wireName;

  Loss(String wireName) {
    this.wireName = wireName;
  }

  /** The name in the admin API and in Redis: {@code zero_one} or {@code absolute}. */
  public String wireName() {
    return wireName;
  }

  public static Optional<Loss> parse(String name) {
    return Arrays.stream(values()).filter(loss -> loss.wireName.equals(name)).findFirst();
  }

  public double of(String output, double label, double scale) {
    double value;
    try {
      value = Double.parseDouble(output.trim());
    } catch (NumberFormatException notANumber) {
      return 1.0;
    }
    if (!Double.isFinite(value)) {
      return 1.0;
    }
    return switch (this) {
      case ZERO_ONE -> value == label ? 0.0 : 1.0;
      case ABSOLUTE -> Math.min(1.0, Math.abs(value - label) / scale);
    };
  }
}
