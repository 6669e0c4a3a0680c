package ai.clipper.frontend.cache;

import ai.clipper.metadata.ModelId;
import ai.clipper.sdk.InputType;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * What a cached output answers: a model version, an input type and the full input bytes, compared
 * in full (Clipper keys by a 64-bit hash alone, so a collision there answers a wrong output).
 *
 * @param input the canonical encoding of the input (see {@link #encode}); never mutated
 */
record CacheKey(ModelId model, InputType type, byte[] input) {

  static CacheKey of(ModelId model, InputType type, Object input) {
    return new CacheKey(model, type, encode(input));
  }

  /**
   * The input's bytes, once per query: 8 big-endian bytes per double, 4 per float or int, UTF-8
   * for a string, and a byte array as it is (the parser's own copy, which nothing mutates).
   */
  static byte[] encode(Object input) {
    if (input instanceof double[] values) {
      ByteBuffer buffer = ByteBuffer.allocate(values.length * Double.BYTES);
      buffer.asDoubleBuffer().put(values);
      return buffer.array();
    }
    if (input instanceof float[] values) {
      ByteBuffer buffer = ByteBuffer.allocate(values.length * Float.BYTES);
      buffer.asFloatBuffer().put(values);
      return buffer.array();
    }
    if (input instanceof int[] values) {
      ByteBuffer buffer = ByteBuffer.allocate(values.length * Integer.BYTES);
      buffer.asIntBuffer().put(values);
      return buffer.array();
    }
    if (input instanceof String text) {
      return text.getBytes(StandardCharsets.UTF_8);
    }
    if (input instanceof byte[] bytes) {
      return bytes;
    }
    throw new IllegalArgumentException("Not a model input: " + input.getClass().getName());
  }

  /** The bytes this key holds, roughly, for the cache's byte bound. */
  long weight() {
    return input.length + model.name().length() + model.version().length();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof CacheKey key && model.equals(key.model) && type == key.type
        && Arrays.equals(input, key.input);
  }

  @Override
  public int hashCode() {
    return (model.hashCode() * 31 + type.ordinal()) * 31 + Arrays.hashCode(input);
  }

  @Override
  public String toString() {
    return "CacheKey[" + model + ", " + type + ", " + input.length + " bytes]";
  }
}
