package ai.clipper.frontend.api;

import ai.clipper.frontend.query.FeedbackProcessor;
import ai.clipper.frontend.query.Prediction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
 *
 * <p>A lone default with one of Clipper's fixed explanations (shed, SLO missed, no model) is
 * most of what a frontend writes under a flood, so its bytes after the {@code query_id} are made
 * once per default output and explanation and copied after the id.
 */
@Component
class AnswerJson {

  private static final byte[] QUERY_ID = "{\"query_id\":".getBytes(StandardCharsets.US_ASCII);
  /** Apps' default outputs are few; past this many kinds, defaults are written in full. */
  private static final int MAX_DEFAULT_TAILS = 1024;

  private final AtomicLong queryIds = new AtomicLong();
  private final Map<Prediction, byte[]> defaultTails = new ConcurrentHashMap<>();
  private final JsonMapper mapper;
  private final OutputJson outputJson;

  AnswerJson(JsonMapper mapper, OutputJson outputJson) {
    this.mapper = mapper;
    this.outputJson = outputJson;
  }

  /** One answer, or {@code {"batch_predictions": [...]}} for an input_batch (even of one). */
  byte[] predictions(List<Prediction> predictions, boolean batch) {
    if (!batch && hasFixedExplanation(predictions.get(0))) {
      return loneDefault(predictions.get(0));
    }
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

  private static boolean hasFixedExplanation(Prediction p) {
    return p.isDefault() && p.reason() != Prediction.DefaultReason.MODEL_ERROR;
  }

  private byte[] loneDefault(Prediction p) {
    byte[] tail = defaultTails.get(p);
    if (tail == null) {
      tail = tailAfterQueryId(p);
      if (defaultTails.size() < MAX_DEFAULT_TAILS) {
        defaultTails.put(p, tail);
      }
    }
    byte[] id = Long.toString(queryIds.getAndIncrement()).getBytes(StandardCharsets.US_ASCII);
    byte[] answer = new byte[QUERY_ID.length + id.length + tail.length];
    System.arraycopy(QUERY_ID, 0, answer, 0, QUERY_ID.length);
    System.arraycopy(id, 0, answer, QUERY_ID.length, id.length);
    System.arraycopy(tail, 0, answer, QUERY_ID.length + id.length, tail.length);
    return answer;
  }

  /** {@code p}'s JSON from the comma after its {@code query_id} on, as {@link #write} has it. */
  private byte[] tailAfterQueryId(Prediction p) {
    ByteArrayBuilder bytes = new ByteArrayBuilder(128);
    try (JsonGenerator json = mapper.createGenerator(bytes)) {
      write(json, p, 0);
    }
    byte[] whole = bytes.toByteArray();
    int start = QUERY_ID.length + 1;  // past the id 0
    return Arrays.copyOfRange(whole, start, whole.length);
  }

  private void write(JsonGenerator json, Prediction p) {
    write(json, p, queryIds.getAndIncrement());
  }

  private void write(JsonGenerator json, Prediction p, long queryId) {
    json.writeStartObject();
    json.writeNumberProperty("query_id", queryId);
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
