package ai.clipper.frontend.batching;

import ai.clipper.sdk.internal.BatchCodec;
import ai.clipper.sdk.proto.PredictRequest;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import reactor.core.publisher.Mono;

/**
 * Drives one replica: keeps exactly one batch in flight, and pulls the next batch from its model
 * version's queue as soon as the previous one is answered (Clipper's per-replica worker, without
 * a blocked thread: it is re-armed by the answer's callback or by the next queued query).
 */
final class ReplicaWorker {

  private final String name;
  private final BatchQueue queue;
  private final BatchSender sender;
  private final Clock clock;
  private volatile boolean stopped;

  ReplicaWorker(String name, BatchQueue queue, BatchSender sender, Clock clock) {
    this.name = name;
    this.queue = queue;
    this.sender = sender;
    this.clock = clock;
  }

  /** Starts pulling: sends a batch if queries wait, otherwise parks in the queue. */
  void start() {
    queue.attach();
    pull();
  }

  /** Takes no new batch; the batch in flight still completes its queries. */
  void stop() {
    stopped = true;
    queue.detach(this);
  }

  boolean isStopped() {
    return stopped;
  }

  void pull() {
    List<PendingQuery> batch = queue.takeOrPark(this, clock.instant());
    if (!batch.isEmpty()) {
      send(batch);
    }
  }

  private void send(List<PendingQuery> batch) {
    // The batch is in deadline order, so its first query's deadline bounds the whole call.
    Instant deadline = batch.get(0).deadline();
    PredictRequest request;
    try {
      request = BatchCodec.encode(queue.inputType(),
          batch.stream().map(PendingQuery::input).toList());
    } catch (RuntimeException e) {
      failAll(batch, e);
      pull();
      return;
    }
    Mono.defer(() -> sender.send(request, deadline)).subscribe(
        outputs -> deliver(batch, outputs),
        error -> {
          failAll(batch, error);
          pull();
        },
        () -> {
          failAll(batch, new IllegalStateException("Replica " + name + " sent no answer"));
          pull();
        });
  }

  private void deliver(List<PendingQuery> batch, List<String> outputs) {
    if (outputs.size() != batch.size()) {
      failAll(batch, new IllegalStateException("Replica " + name + " answered "
          + outputs.size() + " outputs for " + batch.size() + " inputs"));
      return;
    }
    for (int i = 0; i < batch.size(); i++) {
      batch.get(i).complete(outputs.get(i));
    }
  }

  /** Fails the queries not answered yet; answered ones are left as they are. */
  private static void failAll(List<PendingQuery> batch, Throwable error) {
    batch.forEach(query -> query.fail(error));
  }

  @Override
  public String toString() {
    return "ReplicaWorker[" + name + "]";
  }
}
