package ai.clipper.frontend.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** The JSON answer to one query, in Clipper's shape. */
@JsonInclude(JsonInclude.Include.NON_NULL)
record PredictionAnswer(
    @JsonProperty("query_id") long queryId,
    @JsonProperty("output") JsonNode output,
    @JsonProperty("default") boolean isDefault,
    @JsonProperty("default_explanation") String defaultExplanation) {

  /** The JSON answer to an {@code input_batch}: one answer per input, in input order. */
  record Batch(@JsonProperty("batch_predictions") List<PredictionAnswer> batchPredictions) {
  }
}
