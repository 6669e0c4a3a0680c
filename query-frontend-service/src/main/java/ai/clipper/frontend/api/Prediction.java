package ai.clipper.frontend.api;

/**
 * The answer to one query: the model's output, or the app's default output with why.
 *
 * @param output the model's output string, or the app's default output
 * @param isDefault whether {@code output} is the app's default
 * @param explanation why the default was used; null when {@code isDefault} is false
 */
record Prediction(String output, boolean isDefault, String explanation) {

  /** Clipper's explanation when the SLO passes first. */
  static final String SLO_MISSED =
      "Failed to retrieve a prediction response within the specified latency SLO";

  /** Clipper's explanation when no model or replica can answer. */
  static final String NO_CONNECTED_MODELS = "No connected models found for query";

  static Prediction of(String output) {
    return new Prediction(output, false, null);
  }

  static Prediction defaulted(String defaultOutput, String explanation) {
    return new Prediction(defaultOutput, true, explanation);
  }
}
