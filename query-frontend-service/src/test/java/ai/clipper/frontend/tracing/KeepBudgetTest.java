package ai.clipper.frontend.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** At most so many kept traces per second, the budget renewed each second. */
class KeepBudgetTest {

  private static final long SECOND = 1_000_000_000L;

  @Test
  void givesAtMostItsBudgetEachSecond() {
    KeepBudget budget = new KeepBudget(2);
    assertThat(budget.take(5 * SECOND)).isTrue();
    assertThat(budget.take(5 * SECOND + 10)).isTrue();
    assertThat(budget.take(5 * SECOND + 20)).isFalse();
    assertThat(budget.take(6 * SECOND)).isTrue();
  }

  @Test
  void aBudgetOfZeroKeepsNothing() {
    assertThat(new KeepBudget(0).take(SECOND)).isFalse();
  }
}
