package ai.clipper.frontend.rpc;

import ai.clipper.frontend.input.QueryInput;
import ai.clipper.sdk.InputType;
import ai.clipper.sdk.proto.PredictRequest;
import ai.clipper.sdk.wire.BatchCodec;
import java.util.ArrayList;
import java.util.List;

/**
 * Packs a batch of query inputs into container.proto's request through the SDK's
 * {@code BatchCodec}, the one reading of the wire contract on both sides. An input of another kind
 * than the model's (an app and a model whose types differ) fails the batch with a message that
 * says so, which the replica would refuse anyway.
 */
final class BatchEncoder {

  private BatchEncoder() {
  }

  /** @throws IllegalArgumentException for an input that is not of {@code type} */
  static PredictRequest encode(InputType type, List<QueryInput> inputs) {
    List<Object> values = new ArrayList<>(inputs.size());
    for (QueryInput input : inputs) {
      if (input.type() != type) {
        throw new IllegalArgumentException("a " + input.type() + " input in a batch for a "
            + type + " model");
      }
      values.add(input.wireValue());
    }
    return BatchCodec.encode(type, values);
  }
}
