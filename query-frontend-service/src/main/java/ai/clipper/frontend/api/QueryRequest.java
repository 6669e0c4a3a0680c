package ai.clipper.frontend.api;

import java.util.List;
import java.util.Optional;

/**
 * A parsed predict request.
 *
 * @param inputs the inputs, as the Java types the SDK encodes ({@code double[]}, {@code float[]},
 *     {@code int[]}, {@code byte[]}, {@code String})
 * @param batch whether the client sent {@code input_batch} (answered as {@code batch_predictions})
 * @param version the model version the client asked for, if any
 * @param uid the user or context id (selection policies will use it)
 */
record QueryRequest(List<Object> inputs, boolean batch, Optional<String> version, int uid) {

  QueryRequest {
    inputs = List.copyOf(inputs);
  }
}
