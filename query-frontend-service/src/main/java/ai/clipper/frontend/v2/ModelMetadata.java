package ai.clipper.frontend.v2;

import java.util.List;

/**
 * What {@code GET /v2/models/{app}} and gRPC ModelMetadata say about an app.
 *
 * @param versions the versions of the app's linked model (the one pinned, when one is)
 */
public record ModelMetadata(String name, List<String> versions, String platform,
    List<Tensor> inputs, List<Tensor> outputs) {

  /** A tensor's name, datatype and shape, -1 for a dimension of any size. */
  public record Tensor(String name, String datatype, List<Long> shape) {
  }

  public ModelMetadata {
    versions = List.copyOf(versions);
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
  }
}
