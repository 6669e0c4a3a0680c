package ai.clipper.frontend.query;

import ai.clipper.metadata.ModelId;
import java.util.List;

/**
 * The answer to one query: the model's output, or the app's default output with why.
 *
 * @param output the model's output string, or the app's default output
 * @param reason why the default was used; null for the model's own output
 * @param explanation what the client is told about the default; null for the model's output
 * @param model the model version ({@code name:version}) that produced a single-model output
 * @param models for an ensemble, the model versions whose outputs were combined
 * @param missingModels for an ensemble, those that did not answer within the SLO
 */
public record Prediction(String output, DefaultReason reason, String explanation, String model,
    List<String> models, List<String> missingModels) {

  /** Clipper's explanation when the SLO passes first (or would, as admission control foresees). */
  public static final String SLO_MISSED =
      "Failed to retrieve a prediction response within the specified latency SLO";

  /** Clipper's explanation when no model or replica can answer. */
  public static final String NO_CONNECTED_MODELS = "No connected models found for query";

  /** Why a query got the app's default output; the label of {@code clipper_defaults_total}. */
  public enum DefaultReason {
    /** The SLO passed before the model answered. */
    SLO("slo"),
    /** Admission control foresaw that the model could not answer by the SLO. */
    SHED("shed"),
    /** No model version or replica could take the query. */
    NO_MODEL("no_model"),
    /** The model failed or refused the query. */
    MODEL_ERROR("model_error");

    private final String label;

    DefaultReason(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  /** The reason of the first default among {@code predictions}, or null when none is one. */
  public static String firstDefault(List<Prediction> predictions) {
    for (Prediction prediction : predictions) {
      if (prediction.isDefault()) {
        return prediction.reason().label();
      }
    }
    return null;
  }

  public boolean isDefault() {
    return reason != null;
  }

  /** This output, said to come from {@code id} (a default comes from no model). */
  Prediction from(ModelId id) {
    return isDefault() ? this : new Prediction(output, null, null, id.toString(), null, null);
  }

  Prediction fromEnsemble(List<String> used, List<String> missing) {
    return new Prediction(output, reason, explanation, null, List.copyOf(used),
        List.copyOf(missing));
  }

  public static Prediction of(String output) {
    return new Prediction(output, null, null, null, null, null);
  }

  public static Prediction defaulted(String defaultOutput, DefaultReason reason,
      String explanation) {
    return new Prediction(defaultOutput, reason, explanation, null, null, null);
  }
}
