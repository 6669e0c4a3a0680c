package ai.clipper.examples;

/** Formats a number as its shortest JSON form, so a sum of 6.0 answers {@code 6}. */
final class Numbers {

  private Numbers() {
  }

  static String format(double value) {
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      return Long.toString((long) value);
    }
    return Double.toString(value);
  }
}
