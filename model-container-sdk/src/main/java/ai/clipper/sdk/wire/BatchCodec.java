package ai.clipper.sdk.wire;

import ai.clipper.sdk.InputType;
import ai.clipper.sdk.proto.BytesBatch;
import ai.clipper.sdk.proto.DoubleBatch;
import ai.clipper.sdk.proto.FloatBatch;
import ai.clipper.sdk.proto.IntBatch;
import ai.clipper.sdk.proto.PredictRequest;
import ai.clipper.sdk.proto.StringBatch;
import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.List;

/**
 * Converts a batch of Java inputs ({@code double[]}, {@code float[]}, {@code int[]},
 * {@code byte[]}, {@code String}) to the packed wire form of container.proto and back; shared by
 * the container side and the query frontend so both read the contract the same way.
 */
public final class BatchCodec {

  private BatchCodec() {
  }

  /** The input type a request carries, or empty when it carries none. */
  public static java.util.Optional<InputType> typeOf(PredictRequest request) {
    return switch (request.getBatchCase()) {
      case DOUBLES -> java.util.Optional.of(InputType.DOUBLES);
      case FLOATS -> java.util.Optional.of(InputType.FLOATS);
      case INTS -> java.util.Optional.of(InputType.INTS);
      case BYTES -> java.util.Optional.of(InputType.BYTES);
      case STRINGS -> java.util.Optional.of(InputType.STRINGS);
      case BATCH_NOT_SET -> java.util.Optional.empty();
    };
  }

  /** Encodes {@code inputs}, whose elements must be of {@code type}'s Java type. */
  public static PredictRequest encode(InputType type, List<?> inputs) {
    PredictRequest.Builder request = PredictRequest.newBuilder();
    switch (type) {
      case DOUBLES -> {
        DoubleBatch.Builder batch = DoubleBatch.newBuilder();
        for (Object input : inputs) {
          double[] values = (double[]) input;
          batch.addLengths(values.length);
          for (double v : values) {
            batch.addValues(v);
          }
        }
        request.setDoubles(batch);
      }
      case FLOATS -> {
        FloatBatch.Builder batch = FloatBatch.newBuilder();
        for (Object input : inputs) {
          float[] values = (float[]) input;
          batch.addLengths(values.length);
          for (float v : values) {
            batch.addValues(v);
          }
        }
        request.setFloats(batch);
      }
      case INTS -> {
        IntBatch.Builder batch = IntBatch.newBuilder();
        for (Object input : inputs) {
          int[] values = (int[]) input;
          batch.addLengths(values.length);
          for (int v : values) {
            batch.addValues(v);
          }
        }
        request.setInts(batch);
      }
      case BYTES -> {
        BytesBatch.Builder batch = BytesBatch.newBuilder();
        inputs.forEach(input -> batch.addItems(ByteString.copyFrom((byte[]) input)));
        request.setBytes(batch);
      }
      case STRINGS -> {
        StringBatch.Builder batch = StringBatch.newBuilder();
        inputs.forEach(input -> batch.addItems((String) input));
        request.setStrings(batch);
      }
    }
    return request.build();
  }

  /**
   * Decodes a request into one Java object per input.
   *
   * @throws IllegalArgumentException when the packed lengths do not match the values
   */
  public static List<Object> decode(PredictRequest request) {
    return switch (request.getBatchCase()) {
      case DOUBLES -> {
        DoubleBatch batch = request.getDoubles();
        List<Object> out = new ArrayList<>(batch.getLengthsCount());
        int offset = 0;
        for (int length : batch.getLengthsList()) {
          checkBounds(offset, length, batch.getValuesCount());
          double[] values = new double[length];
          for (int i = 0; i < length; i++) {
            values[i] = batch.getValues(offset + i);
          }
          offset += length;
          out.add(values);
        }
        yield out;
      }
      case FLOATS -> {
        FloatBatch batch = request.getFloats();
        List<Object> out = new ArrayList<>(batch.getLengthsCount());
        int offset = 0;
        for (int length : batch.getLengthsList()) {
          checkBounds(offset, length, batch.getValuesCount());
          float[] values = new float[length];
          for (int i = 0; i < length; i++) {
            values[i] = batch.getValues(offset + i);
          }
          offset += length;
          out.add(values);
        }
        yield out;
      }
      case INTS -> {
        IntBatch batch = request.getInts();
        List<Object> out = new ArrayList<>(batch.getLengthsCount());
        int offset = 0;
        for (int length : batch.getLengthsList()) {
          checkBounds(offset, length, batch.getValuesCount());
          int[] values = new int[length];
          for (int i = 0; i < length; i++) {
            values[i] = batch.getValues(offset + i);
          }
          offset += length;
          out.add(values);
        }
        yield out;
      }
      case BYTES -> new ArrayList<>(
          request.getBytes().getItemsList().stream().map(ByteString::toByteArray).toList());
      case STRINGS -> new ArrayList<>(request.getStrings().getItemsList());
      case BATCH_NOT_SET -> List.of();
    };
  }

  private static void checkBounds(int offset, int length, int total) {
    if (length < 0 || offset + length > total) {
      throw new IllegalArgumentException(
          "Packed input lengths exceed the " + total + " values sent");
    }
  }
}
