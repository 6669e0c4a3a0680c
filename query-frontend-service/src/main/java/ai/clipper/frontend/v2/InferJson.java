package ai.clipper.frontend.v2;

import ai.clipper.frontend.query.Prediction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import ai.clipper.frontend.tracing.ServerTiming;
import java.util.Optional;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.util.ByteArrayBuilder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The REST form of V2 inference: reads {@code {id?, parameters?, inputs, outputs?}} and writes
 * {@code {model_name, model_version?, id?, parameters, outputs}}. Every malformed part is a 400
 * that names it; fields the protocol defines but we do not use are ignored.
 */
@Component
class InferJson {

  private final JsonMapper mapper;

  InferJson(JsonMapper mapper) {
    this.mapper = mapper;
  }

  InferRequest read(String model, Optional<String> version, byte[] body) {
    JsonNode root;
    try {
      root = mapper.readTree(body);
    } catch (JacksonException e) {
      throw InferenceException.invalid("the body is not JSON: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw InferenceException.invalid("the body must be a JSON object"
          + " {\"inputs\": [{\"name\", \"shape\", \"datatype\", \"data\"}]}");
    }
    String id = optionalString(root, "id");
    Parameters parameters = Parameters.read(root.get("parameters"));
    JsonNode inputs = root.get("inputs");
    if (inputs == null || !inputs.isArray() || inputs.isEmpty()) {
      throw InferenceException.invalid("inputs must be a non-empty array of tensors");
    }
    List<InputTensor> tensors = new ArrayList<>();
    for (JsonNode input : inputs) {
      tensors.add(tensor(input));
    }
    List<String> outputs = new ArrayList<>();
    JsonNode requested = root.get("outputs");
    if (requested != null && !requested.isNull()) {
      if (!requested.isArray()) {
        throw InferenceException.invalid("outputs must be an array of {\"name\"}");
      }
      for (JsonNode output : requested) {
        outputs.add(requiredString(output, "name", "an output"));
      }
    }
    return new InferRequest(model, version, id == null ? "" : id, parameters.uid(),
        parameters.timeout(), parameters.timing(), tensors, outputs);
  }

  byte[] write(InferResult result) {
    ByteArrayBuilder bytes = new ByteArrayBuilder(256);
    try (JsonGenerator json = mapper.createGenerator(bytes)) {
      json.writeStartObject();
      json.writeStringProperty("model_name", result.model());
      if (!result.version().isEmpty()) {
        json.writeStringProperty("model_version", result.version());
      }
      if (!result.id().isEmpty()) {
        json.writeStringProperty("id", result.id());
      }
      json.writeName("parameters");
      json.writeStartObject();
      json.writeBooleanProperty(InferResult.DEFAULT, result.anyDefault());
      if (result.anyDefault()) {
        json.writeStringProperty("default_explanation", result.defaultExplanation());
      }
      if (result.timing() != null) {
        json.writeNumberProperty(RequestParameters.QUEUE_MS,
            ServerTiming.millis(result.timing().queueNanos()));
        json.writeNumberProperty(RequestParameters.MODEL_MS,
            ServerTiming.millis(result.timing().modelNanos()));
        json.writeNumberProperty(RequestParameters.TOTAL_MS,
            ServerTiming.millis(result.timing().totalNanos()));
      }
      json.writeEndObject();
      json.writeName("outputs");
      json.writeStartArray();
      for (String output : result.outputs()) {
        writeOutput(json, output, result.predictions());
      }
      json.writeEndArray();
      json.writeEndObject();
    }
    return bytes.toByteArray();
  }

  byte[] write(Object value) {
    return mapper.writeValueAsBytes(value);
  }

  byte[] error(String message) {
    return mapper.writeValueAsBytes(Map.of("error", message));
  }

  private static void writeOutput(JsonGenerator json, String output, List<Prediction> rows) {
    boolean isDefault = output.equals(InferResult.DEFAULT);
    json.writeStartObject();
    json.writeStringProperty("name", output);
    json.writeStringProperty("datatype", isDefault ? "BOOL" : "BYTES");
    json.writeName("shape");
    json.writeStartArray();
    json.writeNumber(rows.size());
    json.writeEndArray();
    json.writeName("data");
    json.writeStartArray();
    for (Prediction row : rows) {
      if (isDefault) {
        json.writeBoolean(row.isDefault());
      } else {
        json.writeString(row.output());
      }
    }
    json.writeEndArray();
    json.writeEndObject();
  }

  private static InputTensor tensor(JsonNode input) {
    if (!input.isObject()) {
      throw InferenceException.invalid("each input must be an object"
          + " {\"name\", \"shape\", \"datatype\", \"data\"}, not " + input);
    }
    String name = requiredString(input, "name", "an input");
    String datatype = requiredString(input, "datatype", "input '" + name + "'");
    JsonNode shape = input.get("shape");
    if (shape == null || !shape.isArray()) {
      throw InferenceException.invalid("input '" + name + "' needs a shape, an array of"
          + " integers");
    }
    List<Long> dims = new ArrayList<>();
    for (JsonNode dim : shape) {
      if (!dim.isIntegralNumber() || !dim.canConvertToLong()) {
        throw InferenceException.invalid("input '" + name + "': shape " + shape
            + " must hold integers");
      }
      dims.add(dim.longValue());
    }
    JsonNode parameters = input.get("parameters");
    if (parameters != null && parameters.has("binary_data_size")) {
      throw InferenceException.invalid("input '" + name + "': the binary tensor data extension"
          + " is not supported; send the data as JSON, or use gRPC raw_input_contents");
    }
    JsonNode data = input.get("data");
    if (data == null || !data.isArray()) {
      throw InferenceException.invalid("input '" + name + "' needs data, an array");
    }
    return new InputTensor(name, datatype, TensorShape.of(name, dims),
        new JsonTensorData(name, data));
  }

  private static String requiredString(JsonNode node, String field, String what) {
    JsonNode value = node.get(field);
    if (value == null || !value.isString()) {
      throw InferenceException.invalid(what + " needs a " + field + ", a string");
    }
    return value.stringValue();
  }

  private static String optionalString(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isString()) {
      throw InferenceException.invalid(field + " must be a string, not " + value);
    }
    return value.stringValue();
  }

  /** The request parameters we read; JSON's are numbers, as the protocol's int64 ones. */
  private record Parameters(int uid, Optional<Duration> timeout, boolean timing) {

    static Parameters read(JsonNode parameters) {
      if (parameters == null || parameters.isNull()) {
        return new Parameters(0, Optional.empty(), false);
      }
      if (!parameters.isObject()) {
        throw InferenceException.invalid("parameters must be an object, not " + parameters);
      }
      JsonNode uid = parameters.get(RequestParameters.UID);
      JsonNode timeout = parameters.get(RequestParameters.TIMEOUT);
      JsonNode timing = parameters.get(RequestParameters.TIMING);
      if (timing != null && !timing.isBoolean()) {
        throw InferenceException.invalid("parameter timing must be a boolean, not " + timing);
      }
      return new Parameters(
          uid == null ? 0 : RequestParameters.uid(integer(uid, RequestParameters.UID)),
          timeout == null ? Optional.empty()
              : Optional.of(RequestParameters.timeout(integer(timeout,
                  RequestParameters.TIMEOUT))),
          timing != null && timing.booleanValue());
    }

    private static long integer(JsonNode value, String name) {
      if (!value.isIntegralNumber() || !value.canConvertToLong()) {
        throw InferenceException.invalid("parameter " + name + " must be an integer, not "
            + value);
      }
      return value.longValue();
    }
  }
}
