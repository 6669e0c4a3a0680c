package ai.clipper.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExampleModelsTest {

  @Test
  void sumAnswersTheSumOfEachInputAsJsonNumbers() {
    assertThat(new SumModel().predict(List.of(new double[] {1, 2, 3}, new double[] {0.5, 0.25})))
        .containsExactly("6", "0.75");
  }

  @Test
  void noopAnswersZeroForEveryInput() {
    assertThat(new NoopModel().predict(List.of("a", "b"))).containsExactly("0", "0");
  }

  @Test
  void sleepCostGrowsWithBatchSize() {
    SleepModel model = new SleepModel(Map.of("SLEEP_FIXED_MS", "2", "SLEEP_PER_ITEM_MS", "0.5"));
    assertThat(model.costNanos(1)).isEqualTo(2_500_000);
    assertThat(model.costNanos(10)).isEqualTo(7_000_000);
  }

  @Test
  void sleepUsesTheDocumentedDefaults() {
    assertThat(new SleepModel(Map.of()).costNanos(20)).isEqualTo(2_000_000);
  }

  @Test
  void noisyIsRightWithTheChosenProbabilityAndRepeatsItself() {
    NoisyLabelModel model = new NoisyLabelModel(Map.of("ACCURACY", "0.9", "SEED", "7"));
    java.util.Random random = new java.util.Random(1);
    List<double[]> inputs = new java.util.ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      inputs.add(new double[] {random.nextDouble() * 2 - 1, i});
    }
    List<String> outputs = model.predict(inputs);
    long right = 0;
    for (int i = 0; i < inputs.size(); i++) {
      right += outputs.get(i).equals(Integer.toString(NoisyLabelModel.truth(inputs.get(i)))) ? 1 : 0;
    }
    assertThat(right / 10_000.0).isBetween(0.88, 0.92);
    assertThat(model.predict(inputs.subList(0, 100))).isEqualTo(outputs.subList(0, 100));
  }
}
