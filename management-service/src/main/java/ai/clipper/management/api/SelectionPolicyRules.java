package ai.clipper.management.api;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Validates {@code set_selection_policy}: the policy names the frontends know and, per policy,
 * the parameters that make sense, so that a frontend never meets a configuration it must guess
 * about. Answers the canonical parameters (only the given ones, as JSON numbers and strings).
 */
final class SelectionPolicyRules {

  static final List<String> POLICIES = List.of("single", "exp3", "exp4", "epsilon_greedy", "ab");

  /** The parameters each policy accepts; every learning policy also takes a loss. */
  private static final Map<String, Set<String>> PARAMS = Map.of(
      "single", Set.of(),
      "exp3", Set.of("eta", "gamma", "loss", "loss_scale"),
      "exp4", Set.of("eta", "loss", "loss_scale"),
      "epsilon_greedy", Set.of("epsilon", "loss", "loss_scale"),
      "ab", Set.of("weights", "loss", "loss_scale"));

  private SelectionPolicyRules() {
  }

  /**
   * @param params the request's {@code params} (null or a JSON object)
   * @param linked the model names linked to the app (ab weights must name them)
   * @return the parameters to store, as a JSON object string
   */
  static String validate(String policy, JsonNode params, Set<String> linked, JsonMapper json) {
    if (!PARAMS.containsKey(policy)) {
      throw InvalidRequestException.invalid(policy + " is an invalid selection_policy. Use one"
          + " of " + POLICIES);
    }
    if (params != null && !params.isNull() && !params.isObject()) {
      throw InvalidRequestException.invalid("params must be a JSON object, not " + params);
    }
    ObjectNode canonical = json.createObjectNode();
    Map<String, JsonNode> given = new LinkedHashMap<>();
    if (params != null && params.isObject()) {
      params.properties().forEach(entry -> given.put(entry.getKey(), entry.getValue()));
    }
    for (Map.Entry<String, JsonNode> entry : given.entrySet()) {
      String name = entry.getKey();
      JsonNode value = entry.getValue();
      if (!PARAMS.get(policy).contains(name)) {
        throw InvalidRequestException.invalid("Unknown parameter '" + name + "' for policy "
            + policy + ". It takes " + PARAMS.get(policy).stream().sorted().toList());
      }
      switch (name) {
        case "eta" -> canonical.put(name, number(value, name, 0, false, 1, true));
        case "gamma" -> canonical.put(name, number(value, name, 0, true, 1, false));
        case "epsilon" -> canonical.put(name, number(value, name, 0, true, 1, true));
        case "loss_scale" -> canonical.put(name,
            number(value, name, 0, false, Double.MAX_VALUE, true));
        case "loss" -> {
          if (!value.isString() || !Set.of("zero_one", "absolute").contains(value.asString())) {
            throw InvalidRequestException.invalid("Invalid value for loss: " + value
                + " (must be \"zero_one\" or \"absolute\")");
          }
          canonical.put(name, value.asString());
        }
        case "weights" -> canonical.set(name, weights(value, linked, json));
        default -> throw new IllegalStateException(name);
      }
    }
    if ("ab".equals(policy) && !canonical.has("weights")) {
      throw InvalidRequestException.invalid("Policy ab needs params.weights: a map from linked"
          + " model name to a non-negative weight, with a positive sum");
    }
    return canonical.toString();
  }

  private static double number(JsonNode value, String name, double min, boolean minIncluded,
      double max, boolean maxIncluded) {
    if (value == null || !value.isNumber()) {
      throw InvalidRequestException.invalid("Invalid value for " + name + ": " + value
          + " (must be a number)");
    }
    double x = value.doubleValue();
    boolean above = minIncluded ? x >= min : x > min;
    boolean below = maxIncluded ? x <= max : x < max;
    if (!Double.isFinite(x) || !above || !below) {
      throw InvalidRequestException.invalid("Invalid value for " + name + ": " + value
          + " (must be in " + (minIncluded ? "[" : "(") + fmt(min) + ", "
          + (max == Double.MAX_VALUE ? "inf" : fmt(max)) + (maxIncluded ? "]" : ")") + ")");
    }
    return x;
  }

  private static ObjectNode weights(JsonNode value, Set<String> linked, JsonMapper json) {
    if (!value.isObject() || value.isEmpty()) {
      throw InvalidRequestException.invalid("Invalid value for weights: " + value
          + " (must be a non-empty map from linked model name to weight)");
    }
    ObjectNode weights = json.createObjectNode();
    double sum = 0;
    for (Iterator<Map.Entry<String, JsonNode>> it = value.properties().iterator();
        it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      if (!linked.contains(entry.getKey())) {
        throw InvalidRequestException.invalid("Invalid weights: model '" + entry.getKey()
            + "' is not linked to the app (linked: " + linked + ")");
      }
      double weight = number(entry.getValue(), "weights." + entry.getKey(), 0, true,
          Double.MAX_VALUE, true);
      weights.put(entry.getKey(), weight);
      sum += weight;
    }
    if (!(sum > 0)) {
      throw InvalidRequestException.invalid("Invalid weights: their sum must be positive");
    }
    return weights;
  }

  private static String fmt(double x) {
    return x == Math.rint(x) ? Long.toString((long) x) : Double.toString(x);
  }
}
