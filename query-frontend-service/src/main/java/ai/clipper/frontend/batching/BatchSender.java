package ai.clipper.frontend.batching;

import ai.clipper.frontend.input.QueryInput;
import ai.clipper.sdk.InputType;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Sends batches to one replica: what a worker needs from the transport (see {@code rpc}). */
public interface BatchSender extends AutoCloseable {

  /**
   * One output per input, in order, with the model's own time, or a failure: {@link InputRejectedException} for inputs the
   * replica refused, {@link BatchTimeoutException} at {@code deadline}, and
   * {@link ReplicaFaultException} for anything else the replica did wrong.
   *
   * @param traceparents the W3C trace contexts of the batch's sampled queries (often none),
   *     which the replica continues
   * @param inputs inputs of {@code type}, encoded once, onto the wire
   */
  CompletableFuture<BatchAnswer> send(InputType type, List<QueryInput> inputs, Instant deadline,
      List<String> traceparents);

  /** Stops new calls; calls in flight finish or meet their deadline. */
  @Override
  void close();
}
