package ai.clipper.bench;

import java.util.Arrays;

/**
 * The queries' inputs: 10 doubles each, as in our performance anchors, or another width (64 for
 * the digits models: values 0 to 16 past the first two, like pixels). {@code fresh} inputs differ
 * per query and per run (a random run nonce plus the query's number), so no cache can answer them;
 * {@code same} inputs are one fixed vector, so a cache answers all but the first.
 */
final class Inputs {

  static final int WIDTH = 10;

  private final boolean same;
  private final double nonce;
  private final int width;

  private Inputs(boolean same, double nonce, int width) {
    this.same = same;
    this.nonce = nonce;
    this.width = width;
  }

  static Inputs fresh(double nonce) {
    return new Inputs(false, nonce, WIDTH);
  }

  static Inputs same() {
    return new Inputs(true, 0.5, WIDTH);
  }

  /** {@code fresh} or {@code same} inputs of {@code width} doubles (at least 2). */
  static Inputs parse(String kind, int width) {
    if (width < 2) {
      throw new IllegalArgumentException("--width must be 2 or more, not " + width);
    }
    return switch (kind) {
      case "fresh" -> new Inputs(false, Math.random(), width);
      case "same" -> new Inputs(true, 0.5, width);
      default -> throw new IllegalArgumentException("--input must be fresh or same, not " + kind);
    };
  }

  boolean isSame() {
    return same;
  }

  /** The input of query {@code seq}. */
  double[] values(long seq) {
    double[] values = new double[width];
    values[0] = nonce;
    values[1] = same ? 1 : seq;
    for (int i = 2; i < width; i++) {
      values[i] = (i * 0.25) % 16;
    }
    return values;
  }

  /** The predict body of query {@code seq}: {@code {"input": [...]}}. */
  String json(long seq) {
    return appendValues(new StringBuilder(160).append("{\"input\":"), seq).append('}')
        .toString();
  }

  /**
   * The Open Inference Protocol's infer body of query {@code seq}: one FP64 tensor of shape
   * {@code [1, width]}, the same values as {@link #json}.
   */
  String v2Json(long seq) {
    return appendValues(new StringBuilder(200).append("{\"inputs\":[{\"name\":\"input\","
        + "\"shape\":[1,").append(width).append("],\"datatype\":\"FP64\",\"data\":"), seq)
        .append("}]}").toString();
  }

  private StringBuilder appendValues(StringBuilder json, long seq) {
    json.append('[');
    double[] values = values(seq);
    for (int i = 0; i < values.length; i++) {
      if (i > 0) {
        json.append(',');
      }
      json.append(values[i]);
    }
    return json.append(']');
  }

  @Override
  public String toString() {
    return same ? "same" : "fresh" + Arrays.toString(values(0)).substring(0, 8);
  }
}
