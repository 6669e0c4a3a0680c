package ai.clipper.frontend.v2;

import ai.clipper.frontend.query.Prediction;
import ai.clipper.frontend.tracing.ServerTiming;
import java.util.List;

/**
 * The answer to a V2 request, before a transport writes it: one prediction per query, in row
 * order. A default answer is an answer (Clipper's semantics): the {@code output} tensor holds the
 * app's default output for it, the BOOL {@code default} tensor says which rows are defaults, and
 * the response parameters carry Clipper's flag ({@code default}, true when any row is one) and
 * the first default's {@code default_explanation}.
 *
 * @param model the app
 * @param version the model version that answered every row, or empty when none or several did
 * @param id the request's id, echoed
 * @param outputs the outputs to write, in order: {@link #OUTPUT}, {@link #DEFAULT} or both
 * @param timing where the request's time went, when it asked ({@code timing} parameter): the
 *     response parameters {@code queue_ms}, {@code model_ms} and {@code total_ms}; else null
 */
public record InferResult(String model, String version, String id, List<Prediction> predictions,
    List<String> outputs, ServerTiming timing) {

  /** The BYTES tensor [N] of the model's output strings (or the default output). */
  public static final String OUTPUT = "output";

  /** The BOOL tensor [N]: whether each row's output is the app's default. */
  public static final String DEFAULT = "default";

  /** Both outputs, in the order the model's metadata lists them. */
  public static final List<String> ALL_OUTPUTS = List.of(OUTPUT, DEFAULT);

  public InferResult {
    predictions = List.copyOf(predictions);
    outputs = List.copyOf(outputs);
  }

  /** Clipper's flag for the request: whether any row got the default. */
  public boolean anyDefault() {
    return predictions.stream().anyMatch(Prediction::isDefault);
  }

  /** Why the first defaulted row got the default; null when none did. */
  public String defaultExplanation() {
    return predictions.stream().filter(Prediction::isDefault).findFirst()
        .map(Prediction::explanation).orElse(null);
  }
}
