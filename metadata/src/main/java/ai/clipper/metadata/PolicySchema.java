package ai.clipper.metadata;

import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * The selection policies and, per policy, the parameters that make sense: the management service
 * validates {@code set_selection_policy} here, so that a frontend never meets a configuration it
 * must guess about.
 */
public final class PolicySchema {

  /** The policy names, as {@code set_selection_policy} takes them. */
  public static final List<String> POLICIES =
      List.of("single", "exp3", "exp4", "epsilon_greedy", "ab");

  /** The parameters each policy accepts; every learning policy also takes a loss. */
  private static final Map<String, Set<String>> PARAMS = Map.of(
      "single", Set.of(),
      "exp3", Set.of("eta", "gamma", "loss", "loss_scale"),
      "exp4", Set.of("eta", "loss", "loss_scale"),
      "epsilon_greedy", Set.of("epsilon", "loss", "loss_scale"),
      "ab", Set.of("weights", "loss", "loss_scale"));

  private PolicySchema() {
  }

  /**
   * The parameters of {@code policy}, checked strictly.
   *
   * @param params the request's {@code params} (null or a JSON object)
   * @param linkedModels the model names linked to the app (ab weights must name them)
   * @throws InvalidPolicyException for an unknown policy or parameter, or a value out of range
   */
  public static PolicyParams validate(String policy, JsonNode params, Set<String> linkedModels) {
    if (!PARAMS.containsKey(policy)) {
      throw new InvalidPolicyException(policy + " is an invalid selection_policy. Use one of "
          + POLICIES);
    }
    if (params != null && !params.isNull() && !params.isObject()) {
      throw new InvalidPolicyException("params must be a JSON object, not " + params);
    }
    PolicyParams defaults = PolicyParams.DEFAULTS;
    double eta = defaults.eta();
    double gamma = defaults.gamma();
    double epsilon = defaults.epsilon();
    Map<String, Double> weights = defaults.weights();
    Loss loss = defaults.loss();
    double lossScale = defaults.lossScale();
    Set<String> given = new HashSet<>();
    // null, a JSON null and {} all mean "no parameters"
    Collection<Map.Entry<String, JsonNode>> entries =
        params == null ? Set.of() : params.properties();
    for (Map.Entry<String, JsonNode> entry : entries) {
      String name = entry.getKey();
      JsonNode value = entry.getValue();
      if (!PARAMS.get(policy).contains(name)) {
        throw new InvalidPolicyException("Unknown parameter '" + name + "' for policy " + policy
            + ". It takes " + PARAMS.get(policy).stream().sorted().toList());
      }
      switch (name) {
        case "eta" -> eta = number(value, name, 0, false, 1, true);
        case "gamma" -> gamma = number(value, name, 0, true, 1, false);
        case "epsilon" -> epsilon = number(value, name, 0, true, 1, true);
        case "loss_scale" -> lossScale = number(value, name, 0, false, Double.MAX_VALUE, true);
        case "loss" -> loss = Loss.parse(value.isString() ? value.asString() : null)
            .orElseThrow(() -> new InvalidPolicyException("Invalid value for loss: " + value
                + " (must be \"zero_one\" or \"absolute\")"));
        case "weights" -> weights = weights(value, linkedModels);
        default -> throw new IllegalStateException(name);
      }
      given.add(name);
    }
    if ("ab".equals(policy) && !given.contains("weights")) {
      throw new InvalidPolicyException("Policy ab needs params.weights: a map from linked model"
          + " name to a non-negative weight, with a positive sum");
    }
    return new PolicyParams(eta, gamma, epsilon, weights, loss, lossScale, given);
  }

  private static double number(JsonNode value, String name, double min, boolean minIncluded,
      double max, boolean maxIncluded) {
    if (value == null || !value.isNumber()) {
      throw new InvalidPolicyException("Invalid value for " + name + ": " + value
          + " (must be a number)");
    }
    double x = value.doubleValue();
    boolean above = minIncluded ? x >= min : x > min;
    boolean below = maxIncluded ? x <= max : x < max;
    if (!Double.isFinite(x) || !above || !below) {
      throw new InvalidPolicyException("Invalid value for " + name + ": " + value
          + " (must be in " + (minIncluded ? "[" : "(") + fmt(min) + ", "
          + (max == Double.MAX_VALUE ? "inf" : fmt(max)) + (maxIncluded ? "]" : ")") + ")");
    }
    return x;
  }

  private static Map<String, Double> weights(JsonNode value, Set<String> linkedModels) {
    if (!value.isObject() || value.isEmpty()) {
      throw new InvalidPolicyException("Invalid value for weights: " + value
          + " (must be a non-empty map from linked model name to weight)");
    }
    Map<String, Double> weights = new LinkedHashMap<>();
    double sum = 0;
    for (Map.Entry<String, JsonNode> entry : value.properties()) {
      if (!linkedModels.contains(entry.getKey())) {
        throw new InvalidPolicyException("Invalid weights: model '" + entry.getKey()
            + "' is not linked to the app (linked: " + linkedModels + ")");
      }
      double weight = number(entry.getValue(), "weights." + entry.getKey(), 0, true,
          Double.MAX_VALUE, true);
      weights.put(entry.getKey(), weight);
      sum += weight;
    }
    if (!(sum > 0)) {
      throw new InvalidPolicyException("Invalid weights: their sum must be positive");
    }
    return weights;
  }

  private static String fmt(double x) {
    return x == Math.rint(x) ? Long.toString((long) x) : Double.toString(x);
  }
}
