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
}
