package ai.clipper.frontend.batching;

import ai.clipper.frontend.input.QueryInput;
import ai.clipper.frontend.tracing.CallTiming;
import java.time.Instant;
import java.util.Comparator;
import java.util.concurrent.CompletableFuture;

/** One query waiting in a model version's queue, and the promise of its model output. */
final class PendingQuery {

  /** Earliest deadline first; equal deadlines in arrival order. */
  static final Comparator<PendingQuery> EARLIEST_DEADLINE_FIRST =
      Comparator.comparing(PendingQuery::deadline).thenComparingLong(q -> q.sequence);

  private final QueryInput input;
  private final Instant deadline;
  private final Instant enqueuedAt;
  private final long sequence;
  private final CallTiming timing;
  private final CompletableFuture<String> output = new CompletableFuture<>();
  private volatile int attempts;

  PendingQuery(QueryInput input, Instant deadline, Instant enqueuedAt, long sequence,
      CallTiming timing) {
    this.input = input;
    this.deadline = deadline;
    this.enqueuedAt = enqueuedAt;
    this.sequence = sequence;
    this.timing = timing;
  }

  QueryInput input() {
    return input;
  }

  Instant deadline() {
    return deadline;
  }

  /** When it first joined the queue: a requeued query keeps its place in the wait. */
  Instant enqueuedAt() {
    return enqueuedAt;
  }

  /** Where the query's time goes, for its answer's timing and trace. */
  CallTiming timing() {
    return timing;
  }

  /** How many batches carried it to a replica. */
  int attempts() {
    return attempts;
  }

  void sent() {
    attempts++;
  }

  /** Completed with the model's output, or failed; cancelled when nobody waits any more. */
  CompletableFuture<String> output() {
    return output;
  }

  /** Answered, failed, or abandoned by its caller: nothing left to send. */
  boolean isDone() {
    return output.isDone();
  }

  void complete(String value) {
    output.complete(value);
  }

  void fail(Throwable error) {
    output.completeExceptionally(error);
  }
}
