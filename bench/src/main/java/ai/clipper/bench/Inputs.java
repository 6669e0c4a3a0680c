package ai.clipper.bench;

import java.util.Arrays;

/**
 * The queries' inputs: 10 doubles each, as in our performance anchors. {@code fresh} inputs differ
 * per query and per run (a random run nonce plus the query's number), so no cache can answer them;
 * {@code same} inputs are one fixed vector, so a cache answers all but the first.
 */
final class Inputs {

  static final int WIDTH = 10;

  private final boolean same;
  private final double nonce;

  private Inputs(boolean same, double nonce) {
    this.same = same;
    this.nonce = nonce;
  }

  static Inputs fresh(double nonce) {
    return new Inputs(false, nonce);
  }

  static Inputs same() {
    return new Inputs(true, 0.5);
  }

  static Inputs parse(String kind) {
    return switch (kind) {
      case "fresh" -> fresh(Math.random());
      case "same" -> same();
      default -> throw new IllegalArgumentException("--input must be fresh or same, not " + kind);
    };
  }

  boolean isSame() {
    return same;
  }

  /** The input of query {@code seq}. */
  double[] values(long seq) {
    double[] values = new double[WIDTH];
    values[0] = nonce;
    values[1] = same ? 1 : seq;
    for (int i = 2; i < WIDTH; i++) {
      values[i] = i * 0.25;
    }
    return values;
  }

  /** The predict body of query {@code seq}: {@code {"input": [...]}}. */
  String json(long seq) {
    StringBuilder json = new StringBuilder(160).append("{\"input\":[");
    double[] values = values(seq);
    for (int i = 0; i < values.length; i++) {
      if (i > 0) {
        json.append(',');
      }
      json.append(values[i]);
    }
    return json.append("]}").toString();
  }

  @Override
  public String toString() {
    return same ? "same" : "fresh" + Arrays.toString(values(0)).substring(0, 8);
  }
}
