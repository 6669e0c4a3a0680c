package ai.clipper.management.api;

import ai.clipper.metadata.Overload;
import ai.clipper.sdk.InputType;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;

/** Clipper's rules for names, versions, labels and input types, plus ours for {@code env}. */
final class RequestRules {

  /** clipper_admin's rule for app and model names (a DNS-1123 label). */
  private static final Pattern DNS_1123 = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern ENV_NAME = Pattern.compile("[A-Z][A-Z0-9_]*");
  /** Variables that would let a caller run code of their choice inside a container. */
  private static final Set<String> FORBIDDEN_ENV = Set.of("LD_PRELOAD", "LD_LIBRARY_PATH",
      "JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "PATH", "PYTHONPATH", "PYTHONSTARTUP", "BASH_ENV",
      "ENV");

  private RequestRules() {
  }

  /** A required field: null is Clipper's "missing field" 400. */
  static <T> T required(T value, String field) {
    if (value == null) {
      throw InvalidRequestException.badJson("Missing field '" + field + "'");
    }
    return value;
  }

  /** An app or model name: no ',' or ':' (Clipper) and a DNS-1123 label (clipper_admin). */
  static String name(String value, String field) {
    noSeparators(value, field);
    if (value.length() > 63 || !DNS_1123.matcher(value).matches()) {
      throw InvalidRequestException.invalid("Invalid value for " + field + ": '" + value
          + "'. Names must be at most 63 lower case alphanumeric characters or '-', and must"
          + " start and end with an alphanumeric character (e.g. 'my-name' or '123-abc')");
    }
    return value;
  }

  /** A version or a label: not empty, no ',' or ':' (they separate ids in Clipper's keys). */
  static String noSeparators(String value, String field) {
    required(value, field);
    if (value.isEmpty()) {
      throw InvalidRequestException.invalid("Invalid value for " + field + ": it is empty");
    }
    if (value.contains(",") || value.contains(":")) {
      throw InvalidRequestException.invalid("Invalid value for " + field + ": '" + value
          + "' contains ',' or ':', which Clipper does not allow");
    }
    return value;
  }

  static List<String> labels(List<String> labels) {
    if (labels == null) {
      return List.of();
    }
    labels.forEach(label -> noSeparators(label, "labels"));
    return labels;
  }

  static InputType inputType(String value) {
    return InputType.parse(required(value, "input_type")).orElseThrow(() ->
        InvalidRequestException.invalid("Invalid input_type '" + value
            + "'. Use one of bytes, ints, floats, doubles or strings"));
  }

  /**
   * A model's sample input, as its containers read it from {@code CLIPPER_SAMPLE_INPUT}: the
   * numbers of a JSON array separated by commas (ints must be 32-bit integers), or the JSON
   * string (base64 for bytes); empty when there is none.
   */
  static Optional<String> sampleInput(JsonNode sample, InputType type) {
    if (sample == null || sample.isNull()) {
      return Optional.empty();
    }
    boolean numeric = type == InputType.DOUBLES || type == InputType.FLOATS
        || type == InputType.INTS;
    boolean valid = numeric ? sample.isArray() && sample.valueStream().allMatch(
        value -> type == InputType.INTS ? value.canConvertToInt() && value.isIntegralNumber()
            : value.isNumber())
        : sample.isString() && (type != InputType.BYTES || isBase64(sample.asString()));
    if (!valid) {
      throw InvalidRequestException.invalid("Invalid sample_input for input_type " + type
          + ": " + (numeric ? "a JSON array of numbers" : type == InputType.BYTES
              ? "a base64 JSON string" : "a JSON string") + " is expected");
    }
    return Optional.of(numeric ? sample.valueStream().map(JsonNode::asString)
        .collect(Collectors.joining(",")) : sample.asString());
  }

  private static boolean isBase64(String text) {
    try {
      Base64.getDecoder().decode(text);
      return true;
    } catch (IllegalArgumentException notBase64) {
      return false;
    }
  }

  /** An app's overload behaviour: optional, {@code default} (Clipper's) unless {@code reject}. */
  static Overload overload(String value) {
    if (value == null) {
      return Overload.DEFAULT_OUTPUT;
    }
    return Overload.parse(value).orElseThrow(() -> InvalidRequestException.invalid(
        "Invalid value for overload: '" + value + "'. Use \"default\" (answer the default"
            + " output) or \"reject\" (answer 503 with Retry-After)"));
  }

  /** Extra container variables: upper-case names, never CLIPPER_* or a code-loading variable. */
  static Map<String, String> env(Map<String, String> env) {
    if (env == null) {
      return Map.of();
    }
    env.forEach((name, value) -> {
      if (!ENV_NAME.matcher(name).matches() || name.startsWith("CLIPPER_")
          || FORBIDDEN_ENV.contains(name)) {
        throw InvalidRequestException.invalid("Invalid env variable '" + name + "': names must"
            + " match [A-Z][A-Z0-9_]*, must not start with CLIPPER_ and must not be one of "
            + FORBIDDEN_ENV.stream().sorted().toList());
      }
      required(value, "env." + name);
    });
    return env;
  }

  /** A whole number given as text (a query parameter). */
  static int integer(String value, String field) {
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw InvalidRequestException.invalid("Invalid value for " + field + ": '" + value
          + "' (must be a whole number)");
    }
  }

  static int inRange(Integer value, String field, int min, int max) {
    required(value, field);
    if (value < min || value > max) {
      throw InvalidRequestException.invalid("Invalid value for " + field + ": " + value
          + " (must be between " + min + " and " + max + ")");
    }
    return value;
  }
}
