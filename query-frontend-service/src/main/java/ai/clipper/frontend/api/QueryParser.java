package ai.clipper.frontend.api;

import ai.clipper.frontend.input.QueryInput;
import ai.clipper.frontend.query.Feedback;
import ai.clipper.frontend.query.InputLimit;
import ai.clipper.frontend.query.Query;
import ai.clipper.metadata.App;
import ai.clipper.sdk.InputType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns a predict or update body into a query for an app, in one pass over Jackson's token
 * stream (no tree), so every error message is ours (Clipper's wording where Clipper has one).
 */
@Component
class QueryParser {

  /** A parsed predict request, and whether it was an {@code input_batch}. */
  record QueryRequest(Query query, boolean batch) {
  }

  private final JsonMapper mapper;
  private final InputLimit limit;

  @Autowired
  QueryParser(JsonMapper mapper, InputLimit limit) {
    this.mapper = mapper;
    this.limit = limit;
  }

  /** @param maxInputs the most queries one input_batch may carry */
  QueryParser(JsonMapper mapper, int maxInputs) {
    this(mapper, new InputLimit(maxInputs));
  }

  /**
   * @throws InvalidInputException when the body is not a valid request for {@code app}
   * @throws TooManyQueriesException when its input_batch holds more than the limit
   */
  QueryRequest parse(App app, byte[] body, Instant arrival) {
    List<QueryInput> inputs = null;
    boolean batch = false;
    Optional<String> version = Optional.empty();
    int uid = 0;
    try (JsonParser parser = open(app, body)) {
      while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
        String field = parser.currentName();
        parser.nextToken();
        switch (field) {
          case "input", "input_batch" -> {
            boolean isBatch = field.equals("input_batch");
            if (inputs != null && batch != isBatch) {
              throw new InvalidInputException(
                  "JSON object must have only one of input or input_batch");
            }
            batch = isBatch;
            inputs = isBatch ? batch(app, parser)
                : List.of(InputReader.read(parser, app.inputType(), expected(app, "Input")));
          }
          case "version" -> version = version(parser);
          case "uid" -> uid = uid(parser);
          default -> parser.skipChildren();
        }
      }
      close(parser);
    } catch (JacksonException e) {
      throw malformed(app, e);
    }
    if (inputs == null) {
      throw new InvalidInputException(
          "JSON object does not have required keys input or input_batch");
    }
    return new QueryRequest(new Query(inputs, version, uid, arrival), batch);
  }

  /**
   * Parses an update body {@code {"uid": N, "input": X, "label": number}}.
   *
   * @throws InvalidInputException when the body is not a valid update for {@code app}
   */
  Feedback parseFeedback(App app, byte[] body, Instant arrival) {
    QueryInput input = null;
    Double label = null;
    int uid = 0;
    try (JsonParser parser = open(app, body)) {
      while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        switch (field) {
          case "input" -> input = InputReader.read(parser, app.inputType(),
              expected(app, "Input"));
          case "label" -> label = label(parser, value);
          case "uid" -> uid = uid(parser);
          default -> parser.skipChildren();
        }
      }
      close(parser);
    } catch (JacksonException e) {
      throw malformed(app, e);
    }
    if (input == null || label == null) {
      throw new InvalidInputException("JSON object does not have required keys input and label."
          + " Expected JSON schema: {\"uid\" := int, \"input\" := "
          + inputSchema(app.inputType()) + ", \"label\" := double}");
    }
    return new Feedback(input, uid, label, arrival);
  }

  /** A parser standing on the body's opening brace. */
  private JsonParser open(App app, byte[] body) {
    JsonParser parser = mapper.createParser(body);
    JsonToken first = parser.nextToken();
    if (first == null) {
      throw new InvalidInputException("Error parsing JSON: the request body is empty."
          + " Expected JSON schema: " + schema(app.inputType()));
    }
    if (first != JsonToken.START_OBJECT) {
      throw new InvalidInputException("Error parsing JSON: the body must be a JSON object."
          + " Expected JSON schema: " + schema(app.inputType()));
    }
    return parser;
  }

  /** Nothing may follow the object (Jackson's FAIL_ON_TRAILING_TOKENS). */
  private static void close(JsonParser parser) {
    JsonToken trailing = parser.nextToken();
    if (trailing != null) {
      throw new InvalidInputException("Error parsing JSON: Trailing token (of type " + trailing
          + ") found after the JSON object");
    }
  }

  private List<QueryInput> batch(App app, JsonParser parser) {
    String notAnArray = "input_batch for app " + app.name()
        + " must be a non-empty array of inputs";
    if (parser.currentToken() != JsonToken.START_ARRAY) {
      throw new InvalidInputException(notAnArray);
    }
    List<QueryInput> inputs = new ArrayList<>();
    while (parser.nextToken() != JsonToken.END_ARRAY) {
      if (!limit.allows(inputs.size() + 1)) {
        throw new TooManyQueriesException(limit.max());
      }
      inputs.add(InputReader.read(parser, app.inputType(),
          expected(app, "Input " + inputs.size() + " of input_batch")));
    }
    if (inputs.isEmpty()) {
      throw new InvalidInputException(notAnArray);
    }
    return inputs;
  }

  private static InvalidInputException malformed(App app, JacksonException e) {
    // Jackson appends where an unclosed array began, as "[Source: REDACTED ...]": noise here
    String problem = e.getOriginalMessage().replaceAll("\\s*\\(start marker at \\[.*\\]\\)", "");
    return new InvalidInputException("Error parsing JSON: " + problem
        + ". Expected JSON schema: " + schema(app.inputType()));
  }

  private static Optional<String> version(JsonParser parser) {
    JsonToken token = parser.currentToken();
    if (token == JsonToken.VALUE_NULL) {
      return Optional.empty();
    }
    if (token == JsonToken.VALUE_STRING || token == JsonToken.VALUE_NUMBER_INT) {
      return Optional.of(parser.getText());
    }
    throw new InvalidInputException("version must be a string, not "
        + InputReader.render(parser));
  }

  private static int uid(JsonParser parser) {
    JsonToken token = parser.currentToken();
    if (token == JsonToken.VALUE_NULL) {
      return 0;
    }
    if (token != JsonToken.VALUE_NUMBER_INT
        || parser.getNumberType() != JsonParser.NumberType.INT) {
      throw new InvalidInputException("uid must be a 32-bit integer, not "
          + InputReader.render(parser));
    }
    return parser.getIntValue();
  }

  private static double label(JsonParser parser, JsonToken token) {
    if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
      double label = parser.getDoubleValue();
      if (Double.isFinite(label)) {
        return label;
      }
      throw new InvalidInputException("label must be a number, not " + parser.getText()
          + " (it is out of range)");
    }
    throw new InvalidInputException("label must be a number, not " + InputReader.render(parser));
  }

  private static String expected(App app, String which) {
    return which + " for app " + app.name() + " must be " + describe(app.inputType());
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
