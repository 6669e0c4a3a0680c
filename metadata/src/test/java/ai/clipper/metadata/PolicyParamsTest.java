package ai.clipper.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Stored parameters: read leniently, written as the JSON object of the given ones. */
class PolicyParamsTest {

  @Test
  void readsStoredParamsAndDefaultsWhatIsMissing() {
    PolicyParams params = PolicyParams.parse("{\"eta\":0.5,\"loss\":\"absolute\"}");

    assertThat(params.eta()).isEqualTo(0.5);
    assertThat(params.gamma()).isEqualTo(PolicyParams.DEFAULT_GAMMA);
    assertThat(params.loss()).isEqualTo(Loss.ABSOLUTE);
    assertThat(params.given()).containsExactlyInAnyOrder("eta", "loss");
  }

  @Test
  void unreadableFieldsOrDocumentsFallBackToTheDefaults() {
    PolicyParams params = PolicyParams.parse(
        "{\"eta\":\"fast\",\"loss\":\"hinge\",\"weights\":{\"a\":\"x\",\"b\":2}}");

    assertThat(params.eta()).isEqualTo(PolicyParams.DEFAULT_ETA);
    assertThat(params.loss()).isEqualTo(Loss.ZERO_ONE);
    assertThat(params.weights()).isEqualTo(Map.of("b", 2.0));
    assertThat(params.given()).containsExactly("weights");
    assertThat(PolicyParams.parse("{not json")).isEqualTo(PolicyParams.DEFAULTS);
    assertThat(PolicyParams.parse(null)).isEqualTo(PolicyParams.DEFAULTS);
  }

  @Test
  void writesOnlyTheGivenParamsSoTheRestFollowTheDefaults() {
    PolicyParams params = new PolicyParams(0.2, 0.3, 0.4, Map.of("a", 1.0), Loss.ABSOLUTE, 16,
        Set.of("loss_scale", "weights", "eta"));

    assertThat(params.toJson())
        .isEqualTo("{\"eta\":0.2,\"weights\":{\"a\":1.0},\"loss_scale\":16.0}");
    assertThat(PolicyParams.DEFAULTS.toJson()).isEqualTo("{}");
    assertThat(PolicyParams.parse(params.toJson())).isEqualTo(new PolicyParams(0.2,
        PolicyParams.DEFAULT_GAMMA, PolicyParams.DEFAULT_EPSILON, Map.of("a", 1.0),
        Loss.ZERO_ONE, 16, Set.of("loss_scale", "weights", "eta")));
  }

  @Test
  void lossesAreZeroOneForLabelsAndClippedAbsoluteErrorForNumbers() {
    assertThat(Loss.ZERO_ONE.of("1", 1, 1)).isZero();
    assertThat(Loss.ZERO_ONE.of("1.0", 1, 1)).isZero();
    assertThat(Loss.ZERO_ONE.of("0", 1, 1)).isEqualTo(1);
    assertThat(Loss.ZERO_ONE.of("cat", 1, 1)).isEqualTo(1);
    assertThat(Loss.ABSOLUTE.of("2.5", 2, 1)).isEqualTo(0.5);
    assertThat(Loss.ABSOLUTE.of("10", 2, 1)).isEqualTo(1);
    assertThat(Loss.ABSOLUTE.of("10", 2, 16)).isEqualTo(0.5);
  }
}
