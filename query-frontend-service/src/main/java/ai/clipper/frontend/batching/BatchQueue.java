package ai.clipper.frontend.batching;

import ai.clipper.metadata.ModelId;
import ai.clipper.sdk.InputType;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * The earliest-deadline-first queue of one model version (Clipper's {@code ModelQueue}). Replica
 * workers pull batches from it when they have capacity, so load spreads by how fast each replica
 * answers; an idle worker parks here and is woken by the next query, so nothing polls or blocks.
 */
final class BatchQueue {

  private final ModelId model;
  private final int capacity;
  private final PriorityQueue<PendingQuery> queries =
      new PriorityQueue<>(PendingQuery.EARLIEST_DEADLINE_FIRST);
  private final ArrayDeque<ReplicaWorker> idle = new ArrayDeque<>();
  private volatile InputType inputType;
  private volatile int maxBatchSize;
  private int workers;
  private long sequence;

  BatchQueue(ModelId model, InputType inputType, int maxBatchSize, int capacity) {
    this.model = model;
    this.inputType = inputType;
    this.maxBatchSize = maxBatchSize;
    this.capacity = capacity;
  }

  ModelId model() {
    return model;
  }

  InputType inputType() {
    return inputType;
  }

  /** Applies a change of the model's batch_size or input type; the next batch uses it. */
  void configure(InputType newInputType, int newMaxBatchSize) {
    this.inputType = newInputType;
    this.maxBatchSize = newMaxBatchSize;
  }

  /**
   * Queues a query and wakes an idle worker, if any.
   *
   * @throws NoConnectedModelsException when no replica serves this model version
   * @throws OverloadedException when the queue is full
   */
  PendingQuery offer(Object input, Instant deadline) {
    PendingQuery query;
    ReplicaWorker wake;
    synchronized (this) {
      if (workers == 0) {
        throw new NoConnectedModelsException("No connected replica of model " + model);
      }
      if (queries.size() >= capacity) {
        throw new OverloadedException(queries.size() + " queries are already waiting for model "
            + model);
      }
      query = new PendingQuery(input, deadline, sequence++);
      queries.add(query);
      wake = idle.poll();
    }
    if (wake != null) {
      wake.pull();
    }
    return query;
  }

  /**
   * The next batch for {@code worker}: up to the batch cap, earliest deadlines first, without the
   * queries whose deadline has passed at {@code now} (they fail with
   * {@link QueryExpiredException}). When nothing is left, the worker is parked until the next
   * {@link #offer}.
   */
  List<PendingQuery> takeOrPark(ReplicaWorker worker, Instant now) {
    List<PendingQuery> batch = new ArrayList<>();
    List<PendingQuery> expired = new ArrayList<>();
    synchronized (this) {
      if (worker.isStopped()) {
        return batch;
      }
      int cap = maxBatchSize;
      while (batch.size() < cap && !queries.isEmpty()) {
        PendingQuery next = queries.poll();
        if (next.isDone()) {
          continue;
        }
        if (next.deadline().isAfter(now)) {
          batch.add(next);
        } else {
          expired.add(next);
        }
      }
      if (batch.isEmpty()) {
        idle.add(worker);
      }
    }
    expired.forEach(query -> query.fail(new QueryExpiredException()));
    return batch;
  }

  synchronized void attach() {
    workers++;
  }

  /** Removes a worker; when it was the last, the waiting queries fail at once. */
  void detach(ReplicaWorker worker) {
    List<PendingQuery> orphans = List.of();
    synchronized (this) {
      workers--;
      idle.remove(worker);
      if (workers == 0) {
        orphans = new ArrayList<>(queries);
        queries.clear();
      }
    }
    orphans.forEach(query -> query.fail(
        new NoConnectedModelsException("The last replica of model " + model + " went away")));
  }

  synchronized int size() {
    return queries.size();
  }
}
