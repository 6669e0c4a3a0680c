package ai.clipper.frontend.v2;

import ai.clipper.frontend.input.QueryInput;
import ai.clipper.sdk.InputType;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Maps a V2 input tensor onto an app's queries: the first dimension is the batch, so
 * {@code [N, k]} (or {@code [N, d1, d2]}, flattened row-major) is N queries of k values, and a
 * BYTES tensor {@code [N]} (or {@code [N, 1]}) is N strings or byte strings. Which datatypes an
 * app takes (exact widenings only, as Clipper's API takes JSON ints for doubles apps):
 *
 * <table>
 *   <tr><th>app input type</th><th>datatypes</th></tr>
 *   <tr><td>doubles</td><td>FP64, FP32, any integer type</td></tr>
 *   <tr><td>floats</td><td>FP32, any integer type</td></tr>
 *   <tr><td>ints</td><td>any integer type (INT8/16/32/64, UINT8/16/32/64)</td></tr>
 *   <tr><td>strings</td><td>BYTES (UTF-8)</td></tr>
 *   <tr><td>bytes</td><td>BYTES</td></tr>
 * </table>
 *
 * Integer values must fit their datatype and 32 bits (our ints are 32-bit); floating-point
 * values must be finite.
 */
public final class QueryInputs {

  private QueryInputs() {
  }

  /** The datatype the app's metadata advertises: the one it takes without widening. */
  public static Datatype nativeDatatype(InputType type) {
    return switch (type) {
      case DOUBLES -> Datatype.FP64;
      case FLOATS -> Datatype.FP32;
      case INTS -> Datatype.INT32;
      case STRINGS, BYTES -> Datatype.BYTES;
    };
  }

  /**
   * The queries the tensor holds, in row order, as the Java types the pipeline takes.
   *
   * @throws InferenceException (400) for a datatype the app does not take, a shape without a
   *     batch of at least one, data that does not match the shape, or values out of range
   */
  public static List<QueryInput> split(String app, InputType appType, InputTensor tensor) {
    String name = tensor.name();
    Datatype type = Datatype.parse(tensor.datatype()).orElseThrow(() -> invalid(name,
        "unknown datatype " + tensor.datatype()));
    if (!accepts(appType, type)) {
      throw invalid(name, "model " + app + " takes " + accepted(appType) + ", not " + type);
    }
    TensorShape shape = tensor.shape();
    checkShape(name, appType, shape);
    TensorValues values = tensor.data().decode(type, shape);
    if (values.size() != shape.elements()) {
      throw invalid(name, "holds " + values.size() + " elements, its shape " + shape
          + " needs " + shape.elements());
    }
    int rows = (int) shape.dim(0);
    int width = shape.rowSize();
    List<QueryInput> queries = new ArrayList<>(rows);
    for (int row = 0; row < rows; row++) {
      queries.add(row(name, appType, type, values, row * width, width));
    }
    return queries;
  }

  private static boolean accepts(InputType appType, Datatype type) {
    return switch (appType) {
      case DOUBLES -> type == Datatype.FP64 || type == Datatype.FP32 || type.isInteger();
      case FLOATS -> type == Datatype.FP32 || type.isInteger();
      case INTS -> type.isInteger();
      case STRINGS, BYTES -> type == Datatype.BYTES;
    };
  }

  private static String accepted(InputType appType) {
    return switch (appType) {
      case DOUBLES -> "FP64 (or FP32, or an integer type)";
      case FLOATS -> "FP32 (or an integer type)";
      case INTS -> "INT32 (or another integer type, values within 32 bits)";
      case STRINGS -> "BYTES (UTF-8 strings)";
      case BYTES -> "BYTES";
    };
  }

  private static void checkShape(String name, InputType appType, TensorShape shape) {
    boolean strings = appType == InputType.STRINGS || appType == InputType.BYTES;
    if (shape.rank() == 0 || (!strings && shape.rank() < 2)) {
      throw invalid(name, "shape " + shape + " has no " + (strings ? "" : "row ")
          + "dimension to batch: send " + (strings ? "[N]" : "[N, k]") + ", N queries"
          + (strings ? "" : " of k values"));
    }
    if (strings && shape.rowSize() != 1) {
      throw invalid(name, "shape " + shape + " is not [N] or [N, 1]: a query is one element");
    }
    if (shape.dim(0) == 0) {
      throw invalid(name, "shape " + shape + " holds no query");
    }
  }

  private static QueryInput row(String name, InputType appType, Datatype type,
      TensorValues values, int from, int width) {
    if (values instanceof TensorValues.Doubles d) {
      double[] row = Arrays.copyOfRange(d.values(), from, from + width);
      for (double v : row) {
        finite(name, v);
      }
      return new QueryInput.Doubles(row);
    }
    if (values instanceof TensorValues.Floats f) {
      float[] row = Arrays.copyOfRange(f.values(), from, from + width);
      for (float v : row) {
        finite(name, v);
      }
      if (appType == InputType.FLOATS) {
        return new QueryInput.Floats(row);
      }
      double[] wide = new double[width];
      for (int i = 0; i < width; i++) {
        wide[i] = row[i];
      }
      return new QueryInput.Doubles(wide);
    }
    if (values instanceof TensorValues.Longs l) {
      return ints(name, appType, type, l.values(), from, width);
    }
    byte[] element = ((TensorValues.Bytes) values).values().get(from);
    return appType == InputType.STRINGS ? new QueryInput.Text(utf8(name, element))
        : new QueryInput.Bytes(element);
  }

  private static QueryInput ints(String name, InputType appType, Datatype type, long[] values,
      int from, int width) {
    int[] row = new int[width];
    for (int i = 0; i < width; i++) {
      long v = values[from + i];
      if (!type.holds(v)) {
        throw invalid(name, v + " is not a valid " + type);
      }
      if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
        throw invalid(name, v + " does not fit in 32 bits");
      }
      row[i] = (int) v;
    }
    return switch (appType) {
      case DOUBLES -> new QueryInput.Doubles(Arrays.stream(row).asDoubleStream().toArray());
      case FLOATS -> {
        float[] narrow = new float[width];
        for (int i = 0; i < width; i++) {
          narrow[i] = row[i];
        }
        yield new QueryInput.Floats(narrow);
      }
      default -> new QueryInput.Ints(row);
    };
  }

  private static void finite(String name, double value) {
    if (!Double.isFinite(value)) {
      throw invalid(name, value + " is not a finite number");
    }
  }

  private static String utf8(String name, byte[] bytes) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw invalid(name, "an element is not UTF-8 text, which this strings model takes");
    }
  }

  private static InferenceException invalid(String tensor, String problem) {
    return InferenceException.invalid("input '" + tensor + "': " + problem);
  }
}
