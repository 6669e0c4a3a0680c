package ai.clipper.frontend.v2;

import java.util.Arrays;
import java.util.List;

/**
 * A tensor's dimensions; the first is the batch (one query per row), the rest are one query's
 * values in row-major order. Every dimension is checked once, here, so the element counts that
 * decoders rely on never overflow.
 */
public final class TensorShape {

  private final long[] dims;
  private final int elements;
  private final int rowSize;

  private TensorShape(long[] dims, int elements, int rowSize) {
    this.dims = dims;
    this.elements = elements;
    this.rowSize = rowSize;
  }

  /** @throws InferenceException (400) for a negative dimension or more than 2^31 elements */
  public static TensorShape of(String tensor, List<Long> dims) {
    long[] values = dims.stream().mapToLong(Long::longValue).toArray();
    int row = product(tensor, dims, values, 1);
    return new TensorShape(values, values.length == 0 ? 1 : product(tensor, dims, values, 0), row);
  }

  private static int product(String tensor, List<Long> shown, long[] dims, int from) {
    long count = 1;
    for (int i = from; i < dims.length; i++) {
      if (dims[i] < 0) {
        throw InferenceException.invalid("input '" + tensor + "': shape " + shown
            + " has a negative dimension");
      }
      count *= dims[i];
      if (count > Integer.MAX_VALUE) {
        throw InferenceException.invalid("input '" + tensor + "': shape " + shown
            + " holds more than " + Integer.MAX_VALUE + " elements");
      }
    }
    return (int) count;
  }

  public int rank() {
    return dims.length;
  }

  public long dim(int index) {
    return dims[index];
  }

  /** How many elements the shape holds: the product of its dimensions. */
  public int elements() {
    return elements;
  }

  /** The elements in one row: the product of every dimension but the first. */
  public int rowSize() {
    return rowSize;
  }

  @Override
  public String toString() {
    return Arrays.toString(dims);
  }
}
