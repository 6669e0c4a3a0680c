package ai.clipper.frontend.batching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The latency line fitted to recent batches, as admission control reads it. */
class ServiceRateTest {

  private static final long MS = 1_000_000;
  private final ServiceRate rate = new ServiceRate();

  @Test
  void knowsNothingBeforeTheFirstBatch() {
    assertThat(rate.known()).isFalse();
    assertThat(rate.latencyNanos(8)).isZero();
  }

  @Test
  void trustsNoEstimateBeforeAFewBatches() {
    rate.observe(1, 900 * MS);
    rate.observe(1, MS);
    assertThat(rate.known()).isFalse();
    rate.observe(1, MS);
    assertThat(rate.known()).isTrue();
  }

  @Test
  void fitsTheFixedAndPerItemCostOfBatchesOfDifferentSizes() {
    for (int round = 0; round < 5; round++) {
      for (int size = 1; size <= 8; size++) {
        rate.observe(size, MS + size * MS / 20);  // 1 ms + 0.05 ms per item
      }
    }
    assertThat(rate.latencyNanos(1)).isCloseTo(MS + MS / 20, within(MS / 100));
    assertThat(rate.latencyNanos(16)).isCloseTo(MS + 16 * MS / 20, within(MS / 50));
  }

  @Test
  void takesTheMeanWhenEveryBatchHadTheSameSize() {
    rate.observe(1, 2 * MS);
    rate.observe(1, 4 * MS);
    assertThat(rate.latencyNanos(1)).isBetween(2 * MS, 4 * MS);
    assertThat(rate.latencyNanos(3)).isEqualTo(rate.latencyNanos(1));
  }

  @Test
  void followsAModelThatSlowsDownAndSpeedsUpAgain() {
    observe(50, 4, MS);
    assertThat(rate.latencyNanos(4)).isCloseTo(MS, within(MS / 100));

    observe(40, 4, 10 * MS);  // the model slows down tenfold
    assertThat(rate.latencyNanos(4)).isGreaterThan(9 * MS);

    observe(40, 4, MS);  // and recovers
    assertThat(rate.latencyNanos(4)).isLessThan(2 * MS);
  }

  private void observe(int batches, int size, long latency) {
    for (int i = 0; i < batches; i++) {
      rate.observe(size, latency);
    }
  }
}
