package ai.clipper.frontend.api;

import ai.clipper.frontend.input.QueryInput;
import ai.clipper.sdk.InputType;
import java.util.Arrays;
import java.util.Base64;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * Reads one input of an app's type straight from the JSON token stream into a {@link QueryInput}
 * over the array or string the wire carries: one
 * decode per input, no tree, no intermediate copy. Numbers that do not fit the type (beyond 32
 * bits for ints, overflowing to infinity for doubles and floats, like {@code 1e400}) are refused.
 */
final class InputReader {

  private InputReader() {
  }

  /**
   * The input whose first token is the parser's current one; the parser is left on its last.
   *
   * @param expected the sentence that says what the input must be, for error messages
   */
  static QueryInput read(JsonParser parser, InputType type, String expected) {
    return switch (type) {
      case DOUBLES -> new QueryInput.Doubles(doubles(parser, expected));
      case FLOATS -> new QueryInput.Floats(floats(parser, expected));
      case INTS -> new QueryInput.Ints(ints(parser, expected));
      case STRINGS -> new QueryInput.Text(string(parser, expected));
      case BYTES -> {
        try {
          yield new QueryInput.Bytes(Base64.getDecoder().decode(string(parser, expected)));
        } catch (IllegalArgumentException e) {
          throw new InvalidInputException(expected + " (" + e.getMessage() + ")");
        }
      }
    };
  }

  private static double[] doubles(JsonParser parser, String expected) {
    double[] values = new double[16];
    int count = 0;
    for (JsonToken token = first(parser, expected); token != JsonToken.END_ARRAY;
        token = parser.nextToken()) {
      number(parser, token, expected);
      double value = parser.getDoubleValue();
      if (!Double.isFinite(value)) {
        throw outOfRange(parser, expected);
      }
      if (count == values.length) {
        values = Arrays.copyOf(values, count * 2);
      }
      values[count++] = value;
    }
    return Arrays.copyOf(values, count);
  }

  private static float[] floats(JsonParser parser, String expected) {
    float[] values = new float[16];
    int count = 0;
    for (JsonToken token = first(parser, expected); token != JsonToken.END_ARRAY;
        token = parser.nextToken()) {
      number(parser, token, expected);
      float value = (float) parser.getDoubleValue();
      if (!Float.isFinite(value)) {
        throw outOfRange(parser, expected);
      }
      if (count == values.length) {
        values = Arrays.copyOf(values, count * 2);
      }
      values[count++] = value;
    }
    return Arrays.copyOf(values, count);
  }

  private static int[] ints(JsonParser parser, String expected) {
    int[] values = new int[16];
    int count = 0;
    for (JsonToken token = first(parser, expected); token != JsonToken.END_ARRAY;
        token = parser.nextToken()) {
      number(parser, token, expected);
      if (token != JsonToken.VALUE_NUMBER_INT
          || parser.getNumberType() != JsonParser.NumberType.INT) {
        throw new InvalidInputException(expected + " (" + parser.getText() + " is not one)");
      }
      if (count == values.length) {
        values = Arrays.copyOf(values, count * 2);
      }
      values[count++] = parser.getIntValue();
    }
    return Arrays.copyOf(values, count);
  }

  private static String string(JsonParser parser, String expected) {
    if (parser.currentToken() != JsonToken.VALUE_STRING) {
      throw new InvalidInputException(expected);
    }
    return parser.getString();
  }

  /** Checks that the current token opens an array and returns the token after it. */
  private static JsonToken first(JsonParser parser, String expected) {
    if (parser.currentToken() != JsonToken.START_ARRAY) {
      throw new InvalidInputException(expected);
    }
    return parser.nextToken();
  }

  private static void number(JsonParser parser, JsonToken token, String expected) {
    if (token != JsonToken.VALUE_NUMBER_INT && token != JsonToken.VALUE_NUMBER_FLOAT) {
      throw new InvalidInputException(expected + " (" + render(parser) + " is not a number)");
    }
  }

  private static InvalidInputException outOfRange(JsonParser parser, String expected) {
    return new InvalidInputException(expected + " (" + parser.getText() + " is out of range)");
  }

  /** The current value as JSON, for an error message (it reads the value to its end). */
  static String render(JsonParser parser) {
    return String.valueOf((Object) parser.readValueAsTree());
  }
}
