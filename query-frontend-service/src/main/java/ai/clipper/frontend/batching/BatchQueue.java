package ai.clipper.frontend.batching;

import ai.clipper.metadata.ModelId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * The earliest-deadline-first queue of one model version (Clipper's {@code ModelQueue}). Replica
 * workers pull batches from it when they have capacity, so load spreads by how fast each replica
 * answers; an idle worker parks here and is woken by the next query, so nothing polls or blocks.
 * Delayed batching lives here too: a partial batch is held back until it fills, its oldest query
 * has waited the model's max wait, or waiting longer would eat into the earliest deadline.
 */
final class BatchQueue {

  /**
   * What a worker gets: a batch to send, or nothing and when to look again ({@code null}: when
   * the next query arrives).
   */
  record Take(List<PendingQuery> batch, Instant retryAt) {
  }

  private final ModelId model;
  private final int capacity;
  private final int maxAttempts;
  private final PriorityQueue<PendingQuery> queries =
      new PriorityQueue<>(PendingQuery.EARLIEST_DEADLINE_FIRST);
  private final Set<ReplicaWorker> idle = new LinkedHashSet<>();
  private final Set<ReplicaWorker> workers = new LinkedHashSet<>();
  private volatile QueueSettings settings;
  private long sequence;

  BatchQueue(ModelId model, QueueSettings settings, int capacity, int maxAttempts) {
    this.model = model;
    this.settings = settings;
    this.capacity = capacity;
    this.maxAttempts = maxAttempts;
  }

  ModelId model() {
    return model;
  }

  QueueSettings settings() {
    return settings;
  }

  /** Applies a change of the model's metadata or of the linked apps' SLOs; the next batch uses it. */
  void configure(QueueSettings newSettings) {
    this.settings = newSettings;
  }

  /**
   * Queues a query and wakes an idle worker, if any.
   *
   * @throws NoConnectedModelsException when no replica serves this model version
   * @throws OverloadedException when the queue is full
   */
  PendingQuery offer(Object input, Instant deadline, Instant now) {
    PendingQuery query;
    ReplicaWorker wake;
    synchronized (this) {
      if (workers.isEmpty()) {
        throw new NoConnectedModelsException("No connected replica of model " + model);
      }
      if (queries.size() >= capacity) {
        throw new OverloadedException(queries.size() + " queries are already waiting for model "
            + model);
      }
      query = new PendingQuery(input, deadline, now, sequence++);
      queries.add(query);
      wake = pollIdle();
    }
    if (wake != null) {
      wake.pull();
    }
    return query;
  }

  /**
   * Puts back the queries of a batch a replica failed, so another replica answers them; those
   * past their deadline or out of attempts fail with {@code error} (their caller has the default
   * already, or gets it with the error as the reason).
   */
  void requeue(List<PendingQuery> batch, Throwable error, Instant now) {
    List<PendingQuery> failed = new ArrayList<>();
    List<ReplicaWorker> wake;
    synchronized (this) {
      for (PendingQuery query : batch) {
        if (query.isDone()) {
          continue;
        }
        if (workers.isEmpty() || query.attempts() >= maxAttempts
            || !query.deadline().isAfter(now)) {
          failed.add(query);
        } else {
          queries.add(query);
        }
      }
      wake = new ArrayList<>(idle);
      idle.clear();
    }
    failed.forEach(query -> query.fail(error));
    wake.forEach(ReplicaWorker::pull);
  }

  /**
   * The next batch for {@code worker}: up to {@code target} queries, earliest deadlines first,
   * without those whose deadline has passed at {@code now} (they fail with
   * {@link QueryExpiredException}). A partial batch is sent only once it may no longer wait
   * (see the class comment; {@code expectedLatency} is how long the replica takes for a batch).
   * When nothing is sent, the worker is parked until the next {@link #offer}.
   */
  Take take(ReplicaWorker worker, Instant now, int target, Duration expectedLatency) {
    List<PendingQuery> batch = new ArrayList<>();
    List<PendingQuery> expired = new ArrayList<>();
    Instant retryAt = null;
    synchronized (this) {
      if (worker.isStopped()) {
        return new Take(batch, null);
      }
      dropFinished(now, expired);
      retryAt = queries.size() >= target ? null : flushAt(expectedLatency);
      if (retryAt != null && !retryAt.isAfter(now)) {
        retryAt = null;
      }
      if (!queries.isEmpty() && retryAt == null) {
        while (batch.size() < target && !queries.isEmpty()) {
          PendingQuery next = queries.poll();
          if (next.isDone()) {
            continue;
          }
          if (next.deadline().isAfter(now)) {
            next.sent();
            batch.add(next);
          } else {
            expired.add(next);
          }
        }
      }
      if (batch.isEmpty()) {
        idle.add(worker);
      } else {
        idle.remove(worker);
      }
    }
    expired.forEach(query -> query.fail(new QueryExpiredException()));
    return new Take(batch, batch.isEmpty() ? retryAt : null);
  }

  /** When a partial batch must go: the oldest query's max wait, or the head's slack, if sooner. */
  private Instant flushAt(Duration expectedLatency) {
    Duration maxWait = settings.maxWait();
    if (queries.isEmpty() || maxWait.isZero()) {
      return null;
    }
    Instant oldest = Instant.MAX;
    for (PendingQuery query : queries) {
      if (query.enqueuedAt().isBefore(oldest)) {
        oldest = query.enqueuedAt();
      }
    }
    Instant filled = oldest.plus(maxWait);
    Instant slack = queries.peek().deadline().minus(expectedLatency);
    return filled.isBefore(slack) ? filled : slack;
  }

  private void dropFinished(Instant now, List<PendingQuery> expired) {
    while (!queries.isEmpty()
        && (queries.peek().isDone() || !queries.peek().deadline().isAfter(now))) {
      PendingQuery head = queries.poll();
      if (!head.isDone()) {
        expired.add(head);
      }
    }
  }

  private ReplicaWorker pollIdle() {
    var iterator = idle.iterator();
    if (!iterator.hasNext()) {
      return null;
    }
    ReplicaWorker next = iterator.next();
    iterator.remove();
    return next;
  }

  synchronized void attach(ReplicaWorker worker) {
    workers.add(worker);
  }

  /** Removes a worker; when it was the last, the waiting queries fail at once. */
  void detach(ReplicaWorker worker) {
    List<PendingQuery> orphans = List.of();
    synchronized (this) {
      workers.remove(worker);
      idle.remove(worker);
      if (workers.isEmpty()) {
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

  /** Replicas attached whose circuit breaker lets them pull. */
  synchronized int replicasUp() {
    return (int) workers.stream().filter(ReplicaWorker::isHealthy).count();
  }
}
