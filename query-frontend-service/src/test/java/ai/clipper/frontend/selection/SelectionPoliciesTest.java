package ai.clipper.frontend.selection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.clipper.metadata.Loss;
import ai.clipper.metadata.ModelId;
import ai.clipper.metadata.PolicyParams;
import ai.clipper.metadata.PolicySchema;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Each policy's math on fixed states, with a seeded Random. */
class SelectionPoliciesTest {

  private static final ModelId A = new ModelId("a", "1");
  private static final ModelId B = new ModelId("b", "1");
  private static final ModelId C = new ModelId("c", "2");
  private static final List<ModelId> ABC = List.of(A, B, C);

  /** a has lost 10 less than b and c over 100 feedbacks each. */
  private static final SelectionState A_IS_BETTER = new SelectionState(Map.of(
      "a", new SelectionState.Stats(10, 100),
      "b", new SelectionState.Stats(20, 100),
      "c", new SelectionState.Stats(20, 100)));

  private final SelectionPolicies policies = new SelectionPolicies();

  @Test
  void hedgeWeightsAreExpOfMinusEtaTimesCumulativeLossNormalised() {
    double[] w = A_IS_BETTER.weights(List.of("a", "b", "c"), 0.1);

    double e = Math.exp(-1);
    assertThat(w[0]).isCloseTo(1 / (1 + 2 * e), within(1e-12));
    assertThat(w[1]).isCloseTo(e / (1 + 2 * e), within(1e-12));
    assertThat(w[0] + w[1] + w[2]).isCloseTo(1, within(1e-12));
  }

  @Test
  void hedgeWeightsNeverUnderflowForHugeLosses() {
    SelectionState state = new SelectionState(Map.of("a", new SelectionState.Stats(1e6, 1),
        "b", new SelectionState.Stats(1e6 + 1, 1)));

    double[] w = state.weights(List.of("a", "b"), 1);

    assertThat(w[0]).isCloseTo(1 / (1 + Math.exp(-1)), within(1e-12));
  }

  @Test
  void exp3MixesTheWeightsWithUniformExploration() {
    PolicyParams params = params(0.1, 0.3, Loss.ZERO_ONE);

    double[] p = Exp3Policy.probabilities(ABC, A_IS_BETTER, params);

    double e = Math.exp(-1);
    assertThat(p[0]).isCloseTo(0.7 / (1 + 2 * e) + 0.1, within(1e-12));
    assertThat(p[1]).isCloseTo(0.7 * e / (1 + 2 * e) + 0.1, within(1e-12));
  }

  @Test
  void exp3SamplesModelsInProportionToTheirProbabilities() {
    PolicyParams params = params(0.1, 0.05, Loss.ZERO_ONE);
    double expected = Exp3Policy.probabilities(ABC, A_IS_BETTER, params)[0];
    Random random = new Random(42);

    int a = 0;
    for (int i = 0; i < 20_000; i++) {
      a += policies.named("exp3").orElseThrow().select(ABC, A_IS_BETTER, params, random)
          .equals(List.of(A)) ? 1 : 0;
    }

    assertThat(a / 20_000.0).isCloseTo(expected, within(0.01));
  }

  @Test
  void exp3StartsUniformFromThePrior() {
    double[] p = Exp3Policy.probabilities(ABC, SelectionState.EMPTY,
        PolicyParams.DEFAULTS);

    assertThat(p).containsExactly(new double[] {1 / 3.0, 1 / 3.0, 1 / 3.0}, within(1e-12));
  }

  @Test
  void exp4QueriesEveryModelAndVotesLabelsByWeight() {
    SelectionPolicy exp4 = policies.named("exp4").orElseThrow();
    PolicyParams params = params(0.1, 0, Loss.ZERO_ONE);

    assertThat(exp4.select(ABC, A_IS_BETTER, params, new Random(1))).isEqualTo(ABC);
    // a weighs 1/(1+2e) = 0.58 > b + c: a's label wins against the two others
    assertThat(exp4.combine(ordered(A, "1", B, "0", C, "0"), A_IS_BETTER, params))
        .isEqualTo("1");
    // with eta 0.01 the weights are nearly equal: the majority wins; "0" and "0.0" vote together
    assertThat(exp4.combine(ordered(A, "1", B, "0", C, "0.0"), A_IS_BETTER,
        params(0.01, 0, Loss.ZERO_ONE))).isEqualTo("0");
  }

  @Test
  void exp4AveragesNumbersByWeightForTheAbsoluteLoss() {
    SelectionPolicy exp4 = policies.named("exp4").orElseThrow();
    SelectionState equal = SelectionState.EMPTY;

    String combined = exp4.combine(ordered(A, "1", B, "2", C, "6"), equal,
        params(0.1, 0, Loss.ABSOLUTE));

    assertThat(combined).isEqualTo("3");
  }

  @Test
  void exp4CombinesOnlyTheModelsThatArrivedRenormalised() {
    SelectionPolicy exp4 = policies.named("exp4").orElseThrow();

    // a is missing: b and c weigh the same, so their average is the answer
    String combined = exp4.combine(ordered(B, "2", C, "4"), A_IS_BETTER,
        params(0.1, 0, Loss.ABSOLUTE));

    assertThat(combined).isEqualTo("3");
  }

  @Test
  void epsilonGreedyExploitsTheLowestMeanLossAndExploresEpsilonOfTheTime() {
    SelectionPolicy greedy = policies.named("epsilon_greedy").orElseThrow();
    Random random = new Random(7);
    Map<ModelId, Integer> counts = new LinkedHashMap<>();

    for (int i = 0; i < 30_000; i++) {
      ModelId chosen = greedy.select(ABC, A_IS_BETTER, params(0.1, 0.3,
          Loss.ZERO_ONE), random).get(0);
      counts.merge(chosen, 1, Integer::sum);
    }

    // a: 1 - epsilon + epsilon / 3 = 0.8; b and c: epsilon / 3 = 0.1 each
    assertThat(counts.get(A) / 30_000.0).isCloseTo(0.8, within(0.01));
    assertThat(counts.get(B) / 30_000.0).isCloseTo(0.1, within(0.01));
  }

  @Test
  void abSplitsTrafficByTheFixedWeightsAndIgnoresFeedback() {
    SelectionPolicy ab = policies.named("ab").orElseThrow();
    PolicyParams params = new PolicyParams(0.1, 0, 0, Map.of("a", 1.0, "b", 3.0), Loss.ZERO_ONE,
        1, Set.of("weights"));
    Random random = new Random(3);
    Map<ModelId, Integer> counts = new LinkedHashMap<>();

    for (int i = 0; i < 20_000; i++) {
      counts.merge(ab.select(ABC, A_IS_BETTER, params, random).get(0), 1, Integer::sum);
    }

    assertThat(counts.get(A) / 20_000.0).isCloseTo(0.25, within(0.01));
    assertThat(counts.get(B) / 20_000.0).isCloseTo(0.75, within(0.01));
    assertThat(counts).doesNotContainKey(C);
  }

  @Test
  void singleAlwaysAnswersTheFirstCandidate() {
    assertThat(policies.single().select(ABC, A_IS_BETTER, PolicyParams.DEFAULTS,
        new Random(1))).containsExactly(A);
  }

  @Test
  void knowsEveryPolicyTheSchemaAccepts() {
    assertThat(PolicySchema.POLICIES).allSatisfy(name ->
        assertThat(policies.named(name)).as(name).isPresent());
  }

  private static PolicyParams params(double eta, double explore, Loss loss) {
    return new PolicyParams(eta, explore, explore, Map.of(), loss, 1,
        Set.of("eta", "gamma", "epsilon", "loss"));
  }

  private static Map<ModelId, String> ordered(Object... pairs) {
    Map<ModelId, String> map = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put((ModelId) pairs[i], (String) pairs[i + 1]);
    }
    return map;
  }
}
