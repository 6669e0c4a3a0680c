package ai.clipper.frontend.cache;

import static org.assertj.core.api.Assertions.assertThat;

import ai.clipper.frontend.input.QueryInput;
import ai.clipper.metadata.ModelId;
import org.junit.jupiter.api.Test;

class CacheKeyTest {

  private static final ModelId MODEL = new ModelId("m", "1");

  @Test
  void keysOfEqualInputsInDistinctArraysAreEqual() {
    CacheKey a = CacheKey.of(MODEL, new QueryInput.Doubles(new double[] {1.5, -2}));
    CacheKey b = CacheKey.of(MODEL, new QueryInput.Doubles(new double[] {1.5, -2}));

    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
  }

  @Test
  void keysDifferInModelVersionTypeOrAnyByte() {
    CacheKey key = CacheKey.of(MODEL, ints(1, 2));

    assertThat(key)
        .isNotEqualTo(CacheKey.of(new ModelId("m", "2"), ints(1, 2)))
        .isNotEqualTo(CacheKey.of(MODEL, new QueryInput.Floats(new float[] {1, 2})))
        .isNotEqualTo(CacheKey.of(MODEL, ints(1, 3)))
        .isNotEqualTo(CacheKey.of(MODEL, ints(1, 2, 0)));
  }

  @Test
  void keysOfDifferentKindsDifferEvenWithTheSameBits() {
    assertThat(CacheKey.of(MODEL, new QueryInput.Bytes(new byte[] {1})))
        .isNotEqualTo(CacheKey.of(MODEL, ints(1)));
    assertThat(CacheKey.of(MODEL, new QueryInput.Floats(new float[] {1f})))
        .isNotEqualTo(CacheKey.of(MODEL, ints(Float.floatToIntBits(1f))));
    assertThat(CacheKey.of(MODEL, new QueryInput.Text("é")))
        .isEqualTo(CacheKey.of(MODEL, new QueryInput.Text(new String("é"))));
  }

  @Test
  void weighsTheInputsBytesAndTheModelsName() {
    assertThat(CacheKey.of(MODEL, new QueryInput.Doubles(new double[] {1, 2})).weight())
        .isEqualTo(16 + 2);
    assertThat(CacheKey.of(MODEL, ints(1)).weight()).isEqualTo(4 + 2);
  }

  private static QueryInput ints(int... values) {
    return new QueryInput.Ints(values);
  }
}
