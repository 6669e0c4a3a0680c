package ai.clipper.frontend.v2.grpc;

import ai.clipper.frontend.v2.Datatype;
import ai.clipper.frontend.v2.InferenceException;
import ai.clipper.frontend.v2.InputTensor;
import ai.clipper.frontend.v2.TensorShape;
import ai.clipper.frontend.v2.TensorValues;
import ai.clipper.frontend.v2.grpc.proto.InferTensorContents;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * A gRPC input's elements: typed {@code contents} (the repeated field of the datatype's family)
 * or its entry of {@code raw_input_contents} (flat, row-major, little-endian; BYTES elements each
 * a 4-byte little-endian length, then the bytes), as the protocol defines them.
 */
final class ProtoTensorData {

  private ProtoTensorData() {
  }

  static InputTensor.Data typed(String tensor, InferTensorContents contents) {
    return (type, shape) -> {
      if (type == Datatype.FP64) {
        double[] values = new double[contents.getFp64ContentsCount()];
        for (int i = 0; i < values.length; i++) {
          values[i] = contents.getFp64Contents(i);
        }
        return new TensorValues.Doubles(values);
      }
      if (type == Datatype.FP32) {
        float[] values = new float[contents.getFp32ContentsCount()];
        for (int i = 0; i < values.length; i++) {
          values[i] = contents.getFp32Contents(i);
        }
        return new TensorValues.Floats(values);
      }
      if (type == Datatype.INT64) {
        long[] values = new long[contents.getInt64ContentsCount()];
        for (int i = 0; i < values.length; i++) {
          values[i] = contents.getInt64Contents(i);
        }
        return new TensorValues.Longs(values);
      }
      if (type == Datatype.UINT64) {
        long[] values = new long[contents.getUint64ContentsCount()];
        for (int i = 0; i < values.length; i++) {
          values[i] = unsigned64(tensor, contents.getUint64Contents(i));
        }
        return new TensorValues.Longs(values);
      }
      if (type == Datatype.UINT8 || type == Datatype.UINT16 || type == Datatype.UINT32) {
        long[] values = new long[contents.getUintContentsCount()];
        for (int i = 0; i < values.length; i++) {
          values[i] = Integer.toUnsignedLong(contents.getUintContents(i));
        }
        return new TensorValues.Longs(values);
      }
      if (type.isInteger()) {
        long[] values = new long[contents.getIntContentsCount()];
        for (int i = 0; i < values.length; i++) {
          values[i] = contents.getIntContents(i);
        }
        return new TensorValues.Longs(values);
      }
      if (type == Datatype.BYTES) {
        List<byte[]> values = new ArrayList<>(contents.getBytesContentsCount());
        for (ByteString element : contents.getBytesContentsList()) {
          values.add(element.toByteArray());
        }
        return new TensorValues.Bytes(values);
      }
      throw invalid(tensor, "datatype " + type + " is not read here");
    };
  }

  static InputTensor.Data raw(String tensor, ByteString raw) {
    return (type, shape) -> {
      ByteBuffer bytes = raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
      if (type == Datatype.BYTES) {
        return new TensorValues.Bytes(lengthPrefixed(tensor, bytes));
      }
      long needed = (long) shape.elements() * type.rawSize();
      if (type.rawSize() <= 0 || bytes.remaining() != needed) {
        throw invalid(tensor, "raw_input_contents holds " + bytes.remaining() + " bytes; shape "
            + shape + " of " + type + " needs " + needed);
      }
      int n = shape.elements();
      if (type == Datatype.FP64) {
        double[] values = new double[n];
        bytes.asDoubleBuffer().get(values);
        return new TensorValues.Doubles(values);
      }
      if (type == Datatype.FP32) {
        float[] values = new float[n];
        bytes.asFloatBuffer().get(values);
        return new TensorValues.Floats(values);
      }
      long[] values = new long[n];
      for (int i = 0; i < n; i++) {
        values[i] = switch (type) {
          case INT8 -> bytes.get();
          case UINT8 -> Byte.toUnsignedLong(bytes.get());
          case INT16 -> bytes.getShort();
          case UINT16 -> Short.toUnsignedLong(bytes.getShort());
          case INT32 -> bytes.getInt();
          case UINT32 -> Integer.toUnsignedLong(bytes.getInt());
          case INT64 -> bytes.getLong();
          case UINT64 -> unsigned64(tensor, bytes.getLong());
          default -> throw invalid(tensor, "datatype " + type + " is not read here");
        };
      }
      return new TensorValues.Longs(values);
    };
  }

  private static List<byte[]> lengthPrefixed(String tensor, ByteBuffer bytes) {
    List<byte[]> values = new ArrayList<>();
    while (bytes.hasRemaining()) {
      if (bytes.remaining() < Integer.BYTES) {
        throw invalid(tensor, "raw BYTES contents end inside an element's 4-byte length");
      }
      int length = bytes.getInt();
      if (length < 0 || length > bytes.remaining()) {
        throw invalid(tensor, "a raw BYTES element's length " + Integer.toUnsignedString(length)
            + " runs past the contents' end");
      }
      byte[] element = new byte[length];
      bytes.get(element);
      values.add(element);
    }
    return values;
  }

  private static long unsigned64(String tensor, long value) {
    if (value < 0) {
      throw invalid(tensor, Long.toUnsignedString(value) + " does not fit in 32 bits");
    }
    return value;
  }

  private static InferenceException invalid(String tensor, String problem) {
    return InferenceException.invalid("input '" + tensor + "': " + problem);
  }
}
