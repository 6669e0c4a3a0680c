package ai.clipper.frontend.api;

import ai.clipper.frontend.query.FeedbackProcessor;
import ai.clipper.frontend.query.Prediction;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Component;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.util.ByteArrayBuilder;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes the answers' JSON straight from the predictions, in Clipper's shape, plus which model
 * ({@code model}) or, for an ensemble, which models ({@code models}, {@code missing_models},
 * {@code partial}) produced each; fields that do not apply are left out, so Clipper's clients
 * see what they always saw. Each answered query gets the next {@code query_id}.
 */
@Component
class AnswerJson {

  private final AtomicLong queryIds = new AtomicLong();
  private final JsonMapper mapper;
  private final OutputJson outputJson;

  AnswerJson(JsonMapper mapper, OutputJson outputJson) {
    this.mapper = mapper;
    this.outputJson = outputJson;
  }

  /** One answer, or {@code {"batch_predictions": [...]}} for an input_batch (even of one). */
  byte[] predictions(List<Prediction> predictions, boolean batch) {
    ByteArrayBuilder bytes = new ByteArrayBuilder(128);
    try (JsonGenerator json = mapper.createGenerator(bytes)) {
      if (!batch) {
        write(json, predictions.get(0));
      } else {
        json.writeStartObject();
        json.writeName("batch_predictions");
        json.writeStartArray();
        for (Prediction prediction : predictions) {
          write(json, prediction);
        }
        json.writeEndArray();
        json.writeEndObject();
      }
    }
    return bytes.toByteArray();
  }

  /** {@code {"message", "uid", "losses", "unscored_models"}}: what a feedback did. */
  byte[] feedback(FeedbackProcessor.Result result) {
    ByteArrayBuilder bytes = new ByteArrayBuilder(128);
    try (JsonGenerator json = mapper.createGenerator(bytes)) {
      json.writeStartObject();
      json.writeStringProperty("message", "Feedback received");
      json.writeNumberProperty("uid", result.uid());
      json.writeName("losses");
      json.writeStartObject();
      for (Map.Entry<String, Double> loss : result.losses().entrySet()) {
        json.writeNumberProperty(loss.getKey(), loss.getValue());
      }
      json.writeEndObject();
      strings(json, "unscored_models", result.unscoredModels());
      json.writeEndObject();
    }
    return bytes.toByteArray();
  }

  private void write(JsonGenerator json, Prediction p) {
    json.writeStartObject();
    json.writeNumberProperty("query_id", queryIds.getAndIncrement());
    json.writeName("output");
    if (outputJson.isJson(p.output())) {
      json.writeRawValue(p.output());
    } else {
      json.writeString(p.output());
    }
    json.writeBooleanProperty("default", p.isDefault());
    if (p.isDefault()) {
      json.writeStringProperty("default_explanation", p.explanation());
    }
    if (p.model() != null) {
      json.writeStringProperty("model", p.model());
    }
    if (p.models() != null) {
      strings(json, "models", p.models());
      strings(json, "missing_models", p.missingModels());
      json.writeBooleanProperty("partial", !p.missingModels().isEmpty());
    }
    json.writeEndObject();
  }

  private static void strings(JsonGenerator json, String name, List<String> values) {
    json.writeName(name);
    json.writeStartArray();
    for (String value : values) {
      json.writeString(value);
    }
    json.writeEndArray();
  }
}
