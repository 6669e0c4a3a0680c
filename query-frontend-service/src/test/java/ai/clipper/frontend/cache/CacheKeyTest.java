package ai.clipper.frontend.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import ai.clipper.metadata.ModelId;
import ai.clipper.sdk.InputType;
import org.junit.jupiter.api.Test;

class CacheKeyTest {

  private static final ModelId MODEL = new ModelId("m", "1");

  @Test
  void keysOfEqualInputsInDistinctArraysAreEqual() {
    CacheKey a = CacheKey.of(MODEL, InputType.DOUBLES, new double[] {1.5, -2});
    CacheKey b = CacheKey.of(MODEL, InputType.DOUBLES, new double[] {1.5, -2});

    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
  }

  @Test
  void keysDifferInModelVersionTypeOrAnyByte() {
    CacheKey key = CacheKey.of(MODEL, InputType.INTS, new int[] {1, 2});

    assertThat(key)
        .isNotEqualTo(CacheKey.of(new ModelId("m", "2"), InputType.INTS, new int[] {1, 2}))
        .isNotEqualTo(CacheKey.of(MODEL, InputType.FLOATS, new int[] {1, 2}))
        .isNotEqualTo(CacheKey.of(MODEL, InputType.INTS, new int[] {1, 3}))
        .isNotEqualTo(CacheKey.of(MODEL, InputType.INTS, new int[] {1, 2, 0}));
  }

  @Test
  void encodesEachInputTypeCanonically() {
    assertThat(CacheKey.encode(new double[] {1, 2})).hasSize(16);
    assertThat(CacheKey.encode(new float[] {1, 2})).hasSize(8);
    assertThat(CacheKey.encode(new int[] {1})).containsExactly(0, 0, 0, 1);
    assertThat(CacheKey.encode("é")).containsExactly(0xc3, 0xa9);
    assertThat(CacheKey.encode(new byte[] {7, 8})).containsExactly(7, 8);
    assertThatIllegalArgumentException().isThrownBy(() -> CacheKey.encode(42L));
  }
}
