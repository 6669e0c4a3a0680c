package ai.clipper.frontend.batching;

import ai.clipper.frontend.input.QueryInput;
import ai.clipper.frontend.tracing.CallTiming;
import ai.clipper.metadata.ModelId;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/** Where the query pipeline hands a query for a model version; {@link ModelQueues} in service. */
public interface QueryQueue {

  /**
   * Queues one input for {@code model}; the result completes with the model's output, or fails
   * with a {@link QueryFailure}: at once when no replica is connected, the queue is full or the
   * model cannot answer by {@code deadline}, later when the query expires or the last replica to
   * try it fails. Cancelling it abandons the query (it is not sent). {@code timing} is stamped
   * as the query joins the queue, leaves in a batch and is answered.
   */
  CompletableFuture<String> submit(ModelId model, QueryInput input, Instant deadline,
      CallTiming timing);
}
