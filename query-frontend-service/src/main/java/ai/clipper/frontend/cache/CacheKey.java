package ai.clipper.frontend.cache;

import ai.clipper.metadata.ModelId;
import ai.clipper.sdk.InputType;
import java.util.Arrays;

/**
 * What a cached output answers: a model version, an input type and the full input, compared in
 * full (Clipper keys by a 64-bit hash alone, so a collision there answers a wrong output). The
 * key holds the parsed input itself ({@code double[]}, {@code float[]}, {@code int[]},
 * {@code byte[]} or {@code String}), which nothing mutates once parsed, rather than a copy of
 * its bytes: one decode per query, not two.
 */
final class CacheKey {

  private final ModelId model;
  private final InputType type;
  private final Object input;
  private final int hash;

  private CacheKey(ModelId model, InputType type, Object input) {
    this.model = model;
    this.type = type;
    this.input = input;
    this.hash = (model.hashCode() * 31 + type.ordinal()) * 31 + contentHash(input);
  }

  static CacheKey of(ModelId model, InputType type, Object input) {
    return new CacheKey(model, type, input);
  }

  /** The bytes this key holds, roughly, for the cache's byte bound. */
  long weight() {
    long data;
    if (input instanceof double[] values) {
      data = (long) values.length * Double.BYTES;
    } else if (input instanceof float[] values) {
      data = (long) values.length * Float.BYTES;
    } else if (input instanceof int[] values) {
      data = (long) values.length * Integer.BYTES;
    } else if (input instanceof byte[] bytes) {
      data = bytes.length;
    } else {
      data = ((String) input).length();
    }
    return data + model.name().length() + model.version().length();
  }

  private static int contentHash(Object input) {
    if (input instanceof double[] values) {
      return Arrays.hashCode(values);
    }
    if (input instanceof float[] values) {
      return Arrays.hashCode(values);
    }
    if (input instanceof int[] values) {
      return Arrays.hashCode(values);
    }
    if (input instanceof byte[] bytes) {
      return Arrays.hashCode(bytes);
    }
    if (input instanceof String text) {
      return text.hashCode();
    }
    throw new IllegalArgumentException("Not a model input: " + input.getClass().getName());
  }

  /** Arrays compare element by element (doubles by their bits, so -0.0 is not 0.0). */
  private static boolean sameContent(Object a, Object b) {
    if (a instanceof double[] values) {
      return b instanceof double[] other && Arrays.equals(values, other);
    }
    if (a instanceof float[] values) {
      return b instanceof float[] other && Arrays.equals(values, other);
    }
    if (a instanceof int[] values) {
      return b instanceof int[] other && Arrays.equals(values, other);
    }
    if (a instanceof byte[] bytes) {
      return b instanceof byte[] other && Arrays.equals(bytes, other);
    }
    return a.equals(b);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof CacheKey key && hash == key.hash && type == key.type
        && model.equals(key.model) && sameContent(input, key.input);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public String toString() {
    return "CacheKey[" + model + ", " + type + ", " + weight() + " bytes]";
  }
}
