package ai.clipper.frontend.rpc;

import ai.clipper.frontend.input.QueryInput;
import ai.clipper.sdk.InputType;
import ai.clipper.sdk.proto.BytesBatch;
import ai.clipper.sdk.proto.DoubleBatch;
import ai.clipper.sdk.proto.FloatBatch;
import ai.clipper.sdk.proto.IntBatch;
import ai.clipper.sdk.proto.PredictRequest;
import ai.clipper.sdk.proto.StringBatch;
import com.google.protobuf.ByteString;
import java.util.List;

/**
 * Packs a batch of query inputs into container.proto's request, as the container's
 * {@code BatchCodec} decodes it: one batch of the model's input type, each array's length then
 * all values in order. An input of another kind than the model's (an app and a model whose types
 * differ) fails the batch, which the replica would refuse anyway.
 */
final class BatchEncoder {

  private BatchEncoder() {
  }

  /** @throws IllegalArgumentException for an input that is not of {@code type} */
  static PredictRequest encode(InputType type, List<QueryInput> inputs) {
    PredictRequest.Builder request = PredictRequest.newBuilder();
    switch (type) {
      case DOUBLES -> {
        DoubleBatch.Builder batch = DoubleBatch.newBuilder();
        for (QueryInput input : inputs) {
          double[] values = as(QueryInput.Doubles.class, type, input).values();
          batch.addLengths(values.length);
          for (double v : values) {
            batch.addValues(v);
          }
        }
        request.setDoubles(batch);
      }
      case FLOATS -> {
        FloatBatch.Builder batch = FloatBatch.newBuilder();
        for (QueryInput input : inputs) {
          float[] values = as(QueryInput.Floats.class, type, input).values();
          batch.addLengths(values.length);
          for (float v : values) {
            batch.addValues(v);
          }
        }
        request.setFloats(batch);
      }
      case INTS -> {
        IntBatch.Builder batch = IntBatch.newBuilder();
        for (QueryInput input : inputs) {
          int[] values = as(QueryInput.Ints.class, type, input).values();
          batch.addLengths(values.length);
          for (int v : values) {
            batch.addValues(v);
          }
        }
        request.setInts(batch);
      }
      case BYTES -> {
        BytesBatch.Builder batch = BytesBatch.newBuilder();
        for (QueryInput input : inputs) {
          batch.addItems(ByteString.copyFrom(as(QueryInput.Bytes.class, type, input).values()));
        }
        request.setBytes(batch);
      }
      case STRINGS -> {
        StringBatch.Builder batch = StringBatch.newBuilder();
        for (QueryInput input : inputs) {
          batch.addItems(as(QueryInput.Text.class, type, input).value());
        }
        request.setStrings(batch);
      }
    }
    return request.build();
  }

  private static <T extends QueryInput> T as(Class<T> kind, InputType type, QueryInput input) {
    if (!kind.isInstance(input)) {
      throw new IllegalArgumentException("a " + input.type() + " input in a batch for a "
          + type + " model");
    }
    return kind.cast(input);
  }
}
