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
  void keysOfDifferentJavaTypesDifferAndAnythingElseIsNoInput() {
    assertThat(CacheKey.of(MODEL, InputType.BYTES, new byte[] {1}))
        .isNotEqualTo(CacheKey.of(MODEL, InputType.BYTES, new int[] {1}));
    assertThat(CacheKey.of(MODEL, InputType.STRINGS, "é"))
        .isEqualTo(CacheKey.of(MODEL, InputType.STRINGS, new String("é")));
    assertThatIllegalArgumentException().isThrownBy(() -> CacheKey.of(MODEL, InputType.INTS, 42L));
  }

  @Test
  void weighsTheInputsBytesAndTheModelsName() {
    assertThat(CacheKey.of(MODEL, InputType.DOUBLES, new double[] {1, 2}).weight())
        .isEqualTo(16 + 2);
    assertThat(CacheKey.of(MODEL, InputType.INTS, new int[] {1}).weight()).isEqualTo(4 + 2);
  }
}
