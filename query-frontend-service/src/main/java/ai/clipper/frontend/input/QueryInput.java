package ai.clipper.frontend.input;

import ai.clipper.sdk.InputType;
import java.util.Arrays;

/**
 * One query's input, of one of the kinds a model takes ({@link InputType}), as parsed once and
 * never mutated after: what the cache keys by and the wire encodes. Equal inputs have equal
 * content (arrays compare element by element, doubles and floats by their bits, so -0.0 is not
 * 0.0), whatever the array instances.
 */
public sealed interface QueryInput {

  InputType type();

  /** The bytes of its content, roughly, for the cache's byte bound. */
  long bytes();

  /** Its content as the Java type container.proto's {@code BatchCodec} packs for {@link #type()}. */
  Object wireValue();

  /** An input of a doubles app or model. */
  record Doubles(double[] values) implements QueryInput {

    @Override
    public InputType type() {
      return InputType.DOUBLES;
    }

    @Override
    public long bytes() {
      return (long) values.length * Double.BYTES;
    }

    @Override
    public Object wireValue() {
      return values;
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Doubles that && Arrays.equals(values, that.values);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(values);
    }

    @Override
    public String toString() {
      return "Doubles[" + values.length + "]";
    }
  }

  /** An input of a floats app or model. */
  record Floats(float[] values) implements QueryInput {

    @Override
    public InputType type() {
      return InputType.FLOATS;
    }

    @Override
    public long bytes() {
      return (long) values.length * Float.BYTES;
    }

    @Override
    public Object wireValue() {
      return values;
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Floats that && Arrays.equals(values, that.values);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(values);
    }

    @Override
    public String toString() {
      return "Floats[" + values.length + "]";
    }
  }

  /** An input of an ints (32-bit) app or model. */
  record Ints(int[] values) implements QueryInput {

    @Override
    public InputType type() {
      return InputType.INTS;
    }

    @Override
    public long bytes() {
      return (long) values.length * Integer.BYTES;
    }

    @Override
    public Object wireValue() {
      return values;
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Ints that && Arrays.equals(values, that.values);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(values);
    }

    @Override
    public String toString() {
      return "Ints[" + values.length + "]";
    }
  }

  /** An input of a bytes app or model. */
  record Bytes(byte[] values) implements QueryInput {

    @Override
    public InputType type() {
      return InputType.BYTES;
    }

    @Override
    public long bytes() {
      return values.length;
    }

    @Override
    public Object wireValue() {
      return values;
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Bytes that && Arrays.equals(values, that.values);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(values);
    }

    @Override
    public String toString() {
      return "Bytes[" + values.length + "]";
    }
  }

  /** An input of a strings app or model: one string. */
  record Text(String value) implements QueryInput {

    @Override
    public InputType type() {
      return InputType.STRINGS;
    }

    @Override
    public long bytes() {
      return value.length();
    }

    @Override
    public Object wireValue() {
      return value;
    }
  }
}
