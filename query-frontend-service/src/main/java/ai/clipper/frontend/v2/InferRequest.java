package ai.clipper.frontend.v2;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A V2 inference request, whichever transport it came by.
 *
 * @param model the V2 model: an app's name
 * @param version the version of the app's linked model to pin, as {@code "version"} on predict
 * @param id the client's request id, echoed in the answer; empty when none
 * @param uid the {@code uid} parameter: whose selection state picks the model (0 by default)
 * @param timeout the {@code timeout} parameter or the gRPC deadline: it can only shorten the SLO
 * @param inputs the input tensors (an app takes exactly one)
 * @param outputs the output names asked for; empty for all of them
 */
public record InferRequest(String model, Optional<String> version, String id, int uid,
    Optional<Duration> timeout, boolean timing, List<InputTensor> inputs, List<String> outputs) {

  public InferRequest {
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
  }
}
