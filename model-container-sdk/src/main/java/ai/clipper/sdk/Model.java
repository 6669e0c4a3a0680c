package ai.clipper.sdk;

import java.util.List;

/**
 * A model served by a container: a batch of inputs in, one output string per input out.
 *
 * <p>The input element type follows the container's {@link InputType}: {@code double[]} for
 * doubles, {@code float[]} for floats, {@code int[]} for ints, {@code byte[]} for bytes and
 * {@code String} for strings. A container calls its model on one thread, one batch at a time
 * (a replica is one model instance; more replicas predict in parallel).
 *
 * <pre>{@code
 * Model<double[]> sum = inputs -> inputs.stream()
 *     .map(x -> String.valueOf(java.util.Arrays.stream(x).sum()))
 *     .toList();
 * }</pre>
 *
 * @param <I> the type of one input
 */
@FunctionalInterface
public interface Model<I> {

  /**
   * Predicts a batch.
   *
   * @param inputs the batch, never empty
   * @return exactly one output per input, in the same order; an output that is valid JSON is
   *     returned to the client as JSON
   * @throws Exception when the batch cannot be predicted; the caller receives a gRPC error and
   *     the container keeps serving
   */
  List<String> predict(List<I> inputs) throws Exception;
}
