package ai.clipper.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The one place the selection-policy rules are tested: what passes, and why the rest fails. */
class PolicySchemaTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Set<String> LINKED = Set.of("a", "b");

  @Test
  void keepsTheGivenParamsAndDefaultsTheRest() {
    PolicyParams params = validate("exp3", "{'eta':0.5,'gamma':0.1,'loss':'absolute'}");

    assertThat(params.eta()).isEqualTo(0.5);
    assertThat(params.gamma()).isEqualTo(0.1);
    assertThat(params.loss()).isEqualTo(Loss.ABSOLUTE);
    assertThat(params.lossScale()).isEqualTo(PolicyParams.DEFAULT_LOSS_SCALE);
    assertThat(params.toJson()).isEqualTo("{\"eta\":0.5,\"gamma\":0.1,\"loss\":\"absolute\"}");
  }

  @Test
  void acceptsEveryPolicyWithItsDefaults() {
    for (String policy : new String[] {"single", "exp3", "exp4", "epsilon_greedy"}) {
      assertThat(PolicySchema.validate(policy, null, LINKED)).as(policy)
          .isEqualTo(PolicyParams.DEFAULTS);
      assertThat(validate(policy, "{}")).as(policy).isEqualTo(PolicyParams.DEFAULTS);
    }
    assertThat(validate("ab", "{'weights':{'a':9,'b':1}}").weights())
        .isEqualTo(Map.of("a", 9.0, "b", 1.0));
  }

  @ParameterizedTest(name = "{0} with {1}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      "bandit         | {}                      | bandit is an invalid selection_policy. Use one"
          + " of [single, exp3, exp4, epsilon_greedy, ab]",
      "exp3           | {'eta':0}               | Invalid value for eta: 0 (must be in (0, 1])",
      "exp3           | {'eta':1.5}             | Invalid value for eta: 1.5 (must be in (0, 1])",
      "exp4           | {'eta':'fast'}          | Invalid value for eta: \"fast\" (must be a"
          + " number)",
      "exp3           | {'gamma':1}             | Invalid value for gamma: 1 (must be in [0, 1))",
      "epsilon_greedy | {'epsilon':-0.1}        | Invalid value for epsilon: -0.1 (must be in"
          + " [0, 1])",
      "exp3           | {'loss_scale':0}        | Invalid value for loss_scale: 0 (must be in"
          + " (0, inf])",
      "epsilon_greedy | {'eta':0.1}             | Unknown parameter 'eta' for policy"
          + " epsilon_greedy. It takes [epsilon, loss, loss_scale]",
      "exp4           | {'loss':'hinge'}        | Invalid value for loss: \"hinge\" (must be"
          + " \"zero_one\" or \"absolute\")",
      "single         | {'eta':0.1}             | Unknown parameter 'eta' for policy single. It"
          + " takes []",
      "ab             | {}                      | Policy ab needs params.weights: a map from"
          + " linked model name to a non-negative weight, with a positive sum",
      "ab             | {'weights':{}}          | Invalid value for weights: {} (must be a"
          + " non-empty map from linked model name to weight)",
      "ab             | {'weights':{'ghost':1}} | Invalid weights: model 'ghost' is not linked"
          + " to the app (linked: ",
      "ab             | {'weights':{'a':0}}     | Invalid weights: their sum must be positive",
      "ab             | {'weights':{'a':-1}}    | Invalid value for weights.a: -1 (must be in"
          + " [0, inf])",
      "exp3           | [1]                     | params must be a JSON object, not [1]",
  })
  void rejectsAPolicyOrParamsThatMakeNoSenseSayingWhy(String policy, String params,
      String message) {
    assertThatThrownBy(() -> validate(policy, params))
        .isInstanceOf(InvalidPolicyException.class)
        .hasMessageStartingWith(message);
  }

  private static PolicyParams validate(String policy, String params) {
    JsonNode node = JSON.readTree(params.replace('\'', '"'));
    return PolicySchema.validate(policy, node, LINKED);
  }
}
