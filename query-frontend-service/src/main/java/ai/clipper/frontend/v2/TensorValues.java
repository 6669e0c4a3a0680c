package ai.clipper.frontend.v2;

import java.util.List;

/**
 * A tensor's elements, flat and row-major, decoded from whichever form the client sent (JSON,
 * typed gRPC contents, raw bytes) into the widest Java type of their family; {@link QueryInputs}
 * then checks and cuts them into queries.
 */
public sealed interface TensorValues {

  int size();

  /** FP64 elements. */
  record Doubles(double[] values) implements TensorValues {
    @Override
    public int size() {
      return values.length;
    }
  }

  /** FP32 elements. */
  record Floats(float[] values) implements TensorValues {
    @Override
    public int size() {
      return values.length;
    }
  }

  /** Elements of any integer type, unsigned ones as their (non-negative) value. */
  record Longs(long[] values) implements TensorValues {
    @Override
    public int size() {
      return values.length;
    }
  }

  /** BYTES elements. */
  record Bytes(List<byte[]> values) implements TensorValues {
    @Override
    public int size() {
      return values.size();
    }
  }
}
