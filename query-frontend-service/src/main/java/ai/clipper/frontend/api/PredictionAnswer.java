package ai.clipper.frontend.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * The JSON answer to one query, in Clipper's shape, plus which model ({@code model}) or, for an
 * ensemble, which models ({@code models}, {@code missing_models}, {@code partial}) produced it;
 * fields that do not apply are left out, so Clipper's clients see what they always saw.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record PredictionAnswer(
    @JsonProperty("query_id") long queryId,
    @JsonProperty("output") JsonNode output,
    @JsonProperty("default") boolean isDefault,
    @JsonProperty("default_explanation") String defaultExplanation,
    @JsonProperty("model") String model,
    @JsonProperty("models") List<String> models,
    @JsonProperty("missing_models") List<String> missingModels,
    @JsonProperty("partial") Boolean partial) {

  PredictionAnswer(long queryId, JsonNode output, boolean isDefault, String defaultExplanation) {
    this(queryId, output, isDefault, defaultExplanation, null, null, null, null);
  }

  static PredictionAnswer of(long queryId, JsonNode output, Prediction p) {
    return new PredictionAnswer(queryId, output, p.isDefault(), p.explanation(), p.model(),
        p.models(), p.missingModels(),
        p.missingModels() == null ? null : !p.missingModels().isEmpty());
  }

  /** The JSON answer to an {@code input_batch}: one answer per input, in input order. */
  record Batch(@JsonProperty("batch_predictions") List<PredictionAnswer> batchPredictions) {
  }
}
