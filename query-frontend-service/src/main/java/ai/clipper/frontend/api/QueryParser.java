package ai.clipper.frontend.api;

import ai.clipper.metadata.App;
import ai.clipper.sdk.InputType;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns a predict body into typed inputs for an app, through Jackson's tree model so every error
 * message is ours (Clipper's wording where Clipper has one).
 */
@Component
class QueryParser {

  private final ObjectReader reader;

  QueryParser(JsonMapper mapper) {
    this.reader = mapper.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  }

  /** @throws InvalidInputException when the body is not a valid request for {@code app} */
  QueryRequest parse(App app, byte[] body) {
    JsonNode root = read(app, body);
    JsonNode input = root.get("input");
    JsonNode batch = root.get("input_batch");
    if (input == null && batch == null) {
      throw new InvalidInputException(
          "JSON object does not have required keys input or input_batch");
    }
    if (input != null && batch != null) {
      throw new InvalidInputException("JSON object must have only one of input or input_batch");
    }
    List<Object> inputs = new ArrayList<>();
    if (input != null) {
      inputs.add(toInput(app, input, "Input"));
    } else {
      if (!batch.isArray() || batch.isEmpty()) {
        throw new InvalidInputException("input_batch for app " + app.name()
            + " must be a non-empty array of inputs");
      }
      for (int i = 0; i < batch.size(); i++) {
        inputs.add(toInput(app, batch.get(i), "Input " + i + " of input_batch"));
      }
    }
    return new QueryRequest(inputs, batch != null, version(root.get("version")),
        uid(root.get("uid")));
  }

  /**
   * Parses an update body {@code {"uid": N, "input": X, "label": number}}.
   *
   * @throws InvalidInputException when the body is not a valid update for {@code app}
   */
  FeedbackRequest parseFeedback(App app, byte[] body) {
    JsonNode root = read(app, body);
    JsonNode input = root.get("input");
    JsonNode label = root.get("label");
    if (input == null || label == null) {
      throw new InvalidInputException("JSON object does not have required keys input and label."
          + " Expected JSON schema: {\"uid\" := int, \"input\" := "
          + inputSchema(app.inputType())
          + ", \"label\" := double}");
    }
    if (!label.isNumber() || !Double.isFinite(label.doubleValue())) {
      throw new InvalidInputException("label must be a number, not " + label);
    }
    return new FeedbackRequest(toInput(app, input, "Input"), uid(root.get("uid")),
        label.doubleValue());
  }

  private JsonNode read(App app, byte[] body) {
    JsonNode root;
    try {
      root = reader.readTree(body);
    } catch (JacksonException e) {
      // Jackson appends where an unclosed array began, as "[Source: REDACTED ...]": noise here
      String problem = e.getOriginalMessage().replaceAll("\\s*\\(start marker at \\[.*\\]\\)", "");
      throw new InvalidInputException("Error parsing JSON: " + problem
          + ". Expected JSON schema: " + schema(app.inputType()));
    }
    if (root == null || root.isMissingNode()) {
      throw new InvalidInputException("Error parsing JSON: the request body is empty."
          + " Expected JSON schema: " + schema(app.inputType()));
    }
    if (!root.isObject()) {
      throw new InvalidInputException("Error parsing JSON: the body must be a JSON object."
          + " Expected JSON schema: " + schema(app.inputType()));
    }
    return root;
  }

  private static Object toInput(App app, JsonNode node, String which) {
    InputType type = app.inputType();
    String expected = which + " for app " + app.name() + " must be " + describe(type);
    return switch (type) {
      case DOUBLES -> {
        double[] values = new double[numbers(node, expected).size()];
        for (int i = 0; i < values.length; i++) {
          values[i] = node.get(i).doubleValue();
        }
        yield values;
      }
      case FLOATS -> {
        float[] values = new float[numbers(node, expected).size()];
        for (int i = 0; i < values.length; i++) {
          values[i] = node.get(i).floatValue();
          if (!Float.isFinite(values[i])) {
            throw new InvalidInputException(expected + " (" + node.get(i) + " is out of range)");
          }
        }
        yield values;
      }
      case INTS -> {
        int[] values = new int[numbers(node, expected).size()];
        for (int i = 0; i < values.length; i++) {
          JsonNode value = node.get(i);
          if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw new InvalidInputException(expected + " (" + value + " is not one)");
          }
          values[i] = value.intValue();
        }
        yield values;
      }
      case STRINGS -> {
        if (!node.isString()) {
          throw new InvalidInputException(expected);
        }
        yield node.stringValue();
      }
      case BYTES -> {
        if (!node.isString()) {
          throw new InvalidInputException(expected);
        }
        try {
          yield Base64.getDecoder().decode(node.stringValue());
        } catch (IllegalArgumentException e) {
          throw new InvalidInputException(expected + " (" + e.getMessage() + ")");
        }
      }
    };
  }

  /** Checks that {@code node} is an array of numbers and returns it. */
  private static JsonNode numbers(JsonNode node, String expected) {
    if (!node.isArray()) {
      throw new InvalidInputException(expected);
    }
    for (JsonNode value : node) {
      if (!value.isNumber()) {
        throw new InvalidInputException(expected + " (" + value + " is not a number)");
      }
    }
    return node;
  }

  private static Optional<String> version(JsonNode node) {
    if (node == null || node.isNull()) {
      return Optional.empty();
    }
    if (node.isString() || node.isIntegralNumber()) {
      return Optional.of(node.asString());
    }
    throw new InvalidInputException("version must be a string, not " + node);
  }

  private static int uid(JsonNode node) {
    if (node == null || node.isNull()) {
      return 0;
    }
    if (!node.isIntegralNumber() || !node.canConvertToInt()) {
      throw new InvalidInputException("uid must be a 32-bit integer, not " + node);
    }
    return node.intValue();
  }

  private static String describe(InputType type) {
    return switch (type) {
      case DOUBLES -> "an array of doubles";
      case FLOATS -> "an array of floats";
      case INTS -> "an array of 32-bit integers";
      case STRINGS -> "a string";
      case BYTES -> "a base64 string";
    };
  }

  private static String schema(InputType type) {
    String input = inputSchema(type);
    return "{\"input\" := " + input + "} or {\"input_batch\" := [" + input + "]}";
  }

  private static String inputSchema(InputType type) {
    return switch (type) {
      case DOUBLES -> "[double]";
      case FLOATS -> "[float]";
      case INTS -> "[int]";
      case STRINGS -> "string";
      case BYTES -> "base64 string";
    };
  }
}
