package ai.clipper.metadata;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * An app's selection-policy parameters, parsed once per metadata read (a field the app did not
 * give takes the default here). Stored in the app's hash as the JSON object of the given ones.
 *
 * @param eta Exp3/Exp4 learning rate: weights are {@code exp(-eta * cumulative loss)}; 0.1 by
 *     default, large enough that a model 40 points better dominates after a few dozen feedbacks
 * @param gamma Exp3's exploration: that share of queries goes to a uniformly random model
 * @param epsilon epsilon-greedy's exploration share
 * @param weights ab's fixed weights by model name
 * @param loss how outputs are scored against labels; also how Exp4 combines (vote or average)
 * @param lossScale the absolute loss's scale: an error of that size or more costs 1
 * @param given the parameters the app set, by their JSON names; only these are stored, so an
 *     app follows the defaults of the frontend that reads it for the rest
 */
public record PolicyParams(double eta, double gamma, double epsilon, Map<String, Double> weights,
    Loss loss, double lossScale, Set<String> given) {

  public static final double DEFAULT_ETA = 0.1;
  public static final double DEFAULT_GAMMA = 0.05;
  public static final double DEFAULT_EPSILON = 0.1;
  public static final double DEFAULT_LOSS_SCALE = 1.0;

  /** No parameter given: every one at its default. */
  public static final PolicyParams DEFAULTS = new PolicyParams(DEFAULT_ETA, DEFAULT_GAMMA,
      DEFAULT_EPSILON, Map.of(), Loss.ZERO_ONE, DEFAULT_LOSS_SCALE, Set.of());

  private static final JsonMapper JSON = JsonMapper.builder().build();

  public PolicyParams {
    weights = Collections.unmodifiableMap(new LinkedHashMap<>(weights));
    given = Set.copyOf(given);
  }

  /**
   * Reads stored parameters leniently: an unreadable field (or document) takes the default, so
   * that a frontend always has a configuration. {@link PolicySchema#validate} is the strict one.
   */
  public static PolicyParams parse(String stored) {
    JsonNode params;
    try {
      params = JSON.readTree(stored == null || stored.isBlank() ? "{}" : stored);
    } catch (JacksonException unreadable) {
      return DEFAULTS;
    }
    Set<String> given = new LinkedHashSet<>();
    Map<String, Double> weights = new LinkedHashMap<>();
    params.path("weights").properties().forEach(entry -> {
      if (entry.getValue().isNumber()) {
        weights.put(entry.getKey(), entry.getValue().doubleValue());
      }
    });
    if (!weights.isEmpty()) {
      given.add("weights");
    }
    Loss loss = Loss.parse(params.path("loss").asString("")).orElse(null);
    if (loss != null) {
      given.add("loss");
    }
    return new PolicyParams(
        number(params, "eta", DEFAULT_ETA, given),
        number(params, "gamma", DEFAULT_GAMMA, given),
        number(params, "epsilon", DEFAULT_EPSILON, given),
        weights,
        loss == null ? Loss.ZERO_ONE : loss,
        number(params, "loss_scale", DEFAULT_LOSS_SCALE, given),
        given);
  }

  /** The given parameters as a JSON object (in a fixed order), as stored and shown. */
  public ObjectNode toJsonNode() {
    ObjectNode node = JSON.createObjectNode();
    if (given.contains("eta")) {
      node.put("eta", eta);
    }
    if (given.contains("gamma")) {
      node.put("gamma", gamma);
    }
    if (given.contains("epsilon")) {
      node.put("epsilon", epsilon);
    }
    if (given.contains("weights")) {
      ObjectNode byModel = node.putObject("weights");
      weights.forEach(byModel::put);
    }
    if (given.contains("loss")) {
      node.put("loss", loss.wireName());
    }
    if (given.contains("loss_scale")) {
      node.put("loss_scale", lossScale);
    }
    return node;
  }

  /** {@link #toJsonNode()} as the string the app's hash holds in {@code policy_params}. */
  public String toJson() {
    return toJsonNode().toString();
  }

  private static double number(JsonNode params, String field, double fallback,
      Set<String> given) {
    JsonNode value = params.get(field);
    if (value == null || !value.isNumber()) {
      return fallback;
    }
    given.add(field);
    return value.doubleValue();
  }
}
