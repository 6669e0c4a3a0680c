package ai.clipper.frontend.api;

import ai.clipper.metadata.ModelId;
import java.util.List;

/**
 * The answer to one query: the model's output, or the app's default output with why.
 *
 * @param output the model's output string, or the app's default output
 * @param isDefault whether {@code output} is the app's default
 * @param explanation why the default was used; null when {@code isDefault} is false
 * @param model the model version ({@code name:version}) that produced a single-model output
 * @param models for an ensemble, the model versions whose outputs were combined
 * @param missingModels for an ensemble, those that did not answer within the SLO
 */
record Prediction(String output, boolean isDefault, String explanation, String model,
    List<String> models, List<String> missingModels) {

  Prediction(String output, boolean isDefault, String explanation) {
    this(output, isDefault, explanation, null, null, null);
  }

  /** This output, said to come from {@code id} (a default comes from no model). */
  Prediction from(ModelId id) {
    return isDefault ? this : new Prediction(output, false, null, id.toString(), null, null);
  }

  Prediction fromEnsemble(List<String> used, List<String> missing) {
    return new Prediction(output, isDefault, explanation, null, List.copyOf(used),
        List.copyOf(missing));
  }

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
