package ai.clipper.frontend.selection;

import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An app's policy and parameters, read from its {@code policy_params} JSON (validated by the
 * management service; a field missing there takes the default here).
 *
 * @param eta Exp3/Exp4 learning rate: weights are {@code exp(-eta * cumulative loss)}; 0.1 by
 *     default, large enough that a model 40 points better dominates after a few dozen feedbacks
 * @param gamma Exp3's exploration: that share of queries goes to a uniformly random model
 * @param epsilon epsilon-greedy's exploration share
 * @param weights ab's fixed weights by model name
 * @param loss how outputs are scored against labels; also how Exp4 combines (vote or average)
 * @param lossScale the absolute loss's scale: an error of that size or more costs 1
 */
public record PolicyConfig(String policy, double eta, double gamma, double epsilon,
    Map<String, Double> weights, Loss loss, double lossScale) {

  public static final double DEFAULT_ETA = 0.1;
  public static final double DEFAULT_GAMMA = 0.05;
  public static final double DEFAULT_EPSILON = 0.1;

  public PolicyConfig {
    weights = Map.copyOf(weights);
  }

  public static PolicyConfig defaults(String policy) {
    return new PolicyConfig(policy, DEFAULT_ETA, DEFAULT_GAMMA, DEFAULT_EPSILON, Map.of(),
        Loss.ZERO_ONE, 1.0);
  }

  /** Parses stored parameters; unreadable ones fall back to the defaults field by field. */
  public static PolicyConfig parse(String policy, String paramsJson, JsonMapper json) {
    JsonNode params;
    try {
      params = json.readTree(paramsJson == null || paramsJson.isBlank() ? "{}" : paramsJson);
    } catch (RuntimeException unreadable) {
      return defaults(policy);
    }
    Map<String, Double> weights = new LinkedHashMap<>();
    params.path("weights").properties().forEach(entry -> {
      if (entry.getValue().isNumber()) {
        weights.put(entry.getKey(), entry.getValue().doubleValue());
      }
    });
    return new PolicyConfig(policy,
        number(params, "eta", DEFAULT_ETA),
        number(params, "gamma", DEFAULT_GAMMA),
        number(params, "epsilon", DEFAULT_EPSILON),
        weights,
        Loss.parse(params.path("loss").asString("zero_one")),
        number(params, "loss_scale", 1.0));
  }

  private static double number(JsonNode params, String field, double fallback) {
    JsonNode value = params.get(field);
    return value != null && value.isNumber() ? value.doubleValue() : fallback;
  }
}
