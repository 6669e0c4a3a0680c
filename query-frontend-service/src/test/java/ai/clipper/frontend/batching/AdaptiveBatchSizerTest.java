package ai.clipper.frontend.batching;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** AIMD of the batch size: additive growth within the budget, 10% back-off over it. */
class AdaptiveBatchSizerTest {

  private static final long BUDGET = 10_000_000;  // 10 ms
  private static final int CAP = 256;

  private final AdaptiveBatchSizer sizer = new AdaptiveBatchSizer(1, 0.9);

  @Test
  void startsAtOneAndGrowsByTheStepAfterEachFullBatchWithinTheBudget() {
    assertThat(sizer.target(CAP)).isEqualTo(1);
    for (int i = 0; i < 20; i++) {
      sizer.observe(sizer.target(CAP), BUDGET, BUDGET, CAP);
    }
    assertThat(sizer.target(CAP)).isEqualTo(21);
  }

  @Test
  void backsOffByTenPercentWhenABatchExceedsTheBudget() {
    grow(50);
    sizer.observe(50, BUDGET + 1, BUDGET, CAP);
    assertThat(sizer.target(CAP)).isEqualTo(45);
    sizer.observe(45, 2 * BUDGET, BUDGET, CAP);
    assertThat(sizer.target(CAP)).isEqualTo(40);
  }

  @Test
  void neverBacksOffBelowOne() {
    grow(2);
    for (int i = 0; i < 5; i++) {
      sizer.observe(1, 5 * BUDGET, BUDGET, CAP);
    }
    assertThat(sizer.target(CAP)).isEqualTo(1);
  }

  @Test
  void aPartialBatchWithinTheBudgetSaysNothingAboutBiggerOnes() {
    grow(10);
    sizer.observe(3, 1, BUDGET, CAP);
    assertThat(sizer.target(CAP)).isEqualTo(10);
  }

  @Test
  void neverGrowsPastTheCapAndFollowsALoweredOne() {
    for (int i = 0; i < 20; i++) {
      sizer.observe(sizer.target(8), 1, BUDGET, 8);
    }
    assertThat(sizer.target(8)).isEqualTo(8);
    assertThat(sizer.target(4)).isEqualTo(4);
  }

  private void grow(int target) {
    while (sizer.target(CAP) < target) {
      sizer.observe(sizer.target(CAP), 0, BUDGET, CAP);
    }
    assertThat(sizer.target(CAP)).isEqualTo(target);
  }
}
