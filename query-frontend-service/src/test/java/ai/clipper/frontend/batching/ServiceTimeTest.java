package ai.clipper.frontend.batching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The model's time per batch, a line fitted to recent batches, as admission control reads it. */
class ServiceTimeTest {

  private static final long MS = 1_000_000;
  private final ServiceTime time = new ServiceTime();

  @Test
  void knowsNothingBeforeTheFirstBatch() {
    assertThat(time.known()).isFalse();
    assertThat(time.nanos(8)).isZero();
  }

  @Test
  void trustsNoEstimateBeforeAFewBatches() {
    time.observe(1, 900 * MS);
    for (int batch = 1; batch < ServiceTime.MIN_BATCHES; batch++) {
      assertThat(time.known()).isFalse();
      time.observe(1, MS);
    }
    assertThat(time.known()).isTrue();
  }

  @Test
  void fitsTheFixedAndPerItemCostOfBatchesOfDifferentSizes() {
    for (int round = 0; round < 5; round++) {
      for (int size = 1; size <= 8; size++) {
        time.observe(size, MS + size * MS / 20);  // 1 ms + 0.05 ms per item
      }
    }
    assertThat(time.nanos(1)).isCloseTo(MS + MS / 20, within(MS / 100));
    assertThat(time.nanos(16)).isCloseTo(MS + 16 * MS / 20, within(MS / 50));
  }

  @Test
  void takesTheMeanWhenEveryBatchHadTheSameSize() {
    time.observe(1, 2 * MS);
    time.observe(1, 4 * MS);
    assertThat(time.nanos(1)).isBetween(2 * MS, 4 * MS);
    assertThat(time.nanos(3)).isEqualTo(time.nanos(1));
  }

  @Test
  void followsAModelThatSlowsDownAndSpeedsUpAgain() {
    observe(50, 4, MS);
    assertThat(time.nanos(4)).isCloseTo(MS, within(MS / 100));

    observe(40, 4, 10 * MS);  // the model slows down tenfold
    assertThat(time.nanos(4)).isGreaterThan(9 * MS);

    observe(40, 4, MS);  // and recovers
    assertThat(time.nanos(4)).isLessThan(2 * MS);
  }

  private void observe(int batches, int size, long latency) {
    for (int i = 0; i < batches; i++) {
      time.observe(size, latency);
    }
  }
}
