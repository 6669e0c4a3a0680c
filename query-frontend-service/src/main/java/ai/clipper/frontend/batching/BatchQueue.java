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
 *
 * <p>It decides each query's fate as early as it can (admission control): a query that the
 * model, at the rate it serves now ({@link ServiceRate}), cannot answer by its deadline is
 * refused when it arrives ({@link QueryShedException}), and one that can no longer make it when
 * a batch is formed is dropped then, so the model only works on queries it can still answer in
 * time and goodput stays near capacity however much is offered (Clockwork's "reject early";
 * Clipper NSDI'17 §4.3 bounds latency by batch size alone). A replica with nothing to do always
 * gets the next query, so a model that was too slow is probed and seen when it recovers.
 *
 * <p>Delayed batching lives here too: a partial batch is held back until it fills, its oldest
 * query has waited the model's max wait, or waiting longer would eat into the earliest deadline.
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
  private final Admission admission;
  private final ServiceRate rate = new ServiceRate();
  private final PriorityQueue<PendingQuery> queries =
      new PriorityQueue<>(PendingQuery.EARLIEST_DEADLINE_FIRST);
  private final Set<ReplicaWorker> idle = new LinkedHashSet<>();
  private final Set<ReplicaWorker> workers = new LinkedHashSet<>();
  private volatile QueueSettings settings;
  private long sequence;

  BatchQueue(ModelId model, QueueSettings settings, int capacity, int maxAttempts,
      Admission admission) {
    this.model = model;
    this.settings = settings;
    this.capacity = capacity;
    this.maxAttempts = maxAttempts;
    this.admission = admission;
  }

  ModelId model() {
    return model;
  }

  QueueSettings settings() {
    return settings;
  }

  /** How the model's batches perform: the workers feed it, admission reads it. */
  ServiceRate rate() {
    return rate;
  }

  /** Applies a change of the model's metadata or of the linked apps' SLOs; the next batch uses it. */
  void configure(QueueSettings newSettings) {
    this.settings = newSettings;
  }

  /**
   * Queues a query and wakes an idle worker, if any.
   *
   * @throws NoConnectedModelsException when no replica serves this model version
   * @throws QueueFullException when the queue is full
   * @throws QueryShedException when the model cannot answer it by {@code deadline}
   */
  PendingQuery offer(Object input, Instant deadline, Instant now) {
    PendingQuery query;
    ReplicaWorker wake;
    synchronized (this) {
      if (workers.isEmpty()) {
        throw new NoConnectedModelsException("No connected replica of model " + model);
      }
      if (queries.size() >= capacity) {
        throw new QueueFullException(queries.size() + " queries are already waiting for model "
            + model);
      }
      if (idle.isEmpty() && !admission.admits(expectedAnswer(now), now, deadline)) {
        throw new QueryShedException("Model " + model + " cannot answer "
            + (queries.size() + 1) + " queued queries within their latency SLO at its current rate");
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
   * When a query joining now would be answered: once a replica frees up, the queries ahead of
   * it go in batches of the replicas' current sizes, each batch taking what the model's recent
   * batches of that size took. With every breaker open, not before the first replica's probe.
   * Called holding the lock.
   */
  private Instant expectedAnswer(Instant now) {
    int perRound = 0;
    int healthy = 0;
    Instant free = Instant.MAX;
    Instant probe = Instant.MAX;
    for (ReplicaWorker worker : workers) {
      if (worker.isHealthy()) {
        healthy++;
        perRound += worker.batchSizeTarget() * worker.maxInFlight();
        Instant freeAt = worker.freeAt();
        free = freeAt.isBefore(free) ? freeAt : free;
      } else {
        Instant probeAt = worker.probeAt();
        probe = probeAt.isBefore(probe) ? probeAt : probe;
      }
    }
    if (healthy == 0) {
      // No replica takes batches until a breaker lets a probe through; none armed: unknown.
      return probe == Instant.MAX || !probe.isAfter(now) ? now
          : probe.plusNanos(rate.known() ? rate.latencyNanos(1) : 0);
    }
    if (!rate.known()) {
      return now;  // nothing known to go by: the query waits for the first batches
    }
    int size = Math.max(1, perRound / healthy);
    long rounds = queries.size() / perRound + 1;
    Instant start = free.isAfter(now) ? free : now;
    return start.plusNanos(rounds * rate.latencyNanos(size));
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
   * The next batch for {@code worker}: up to {@code target} queries, earliest deadlines first.
   * Queries whose deadline has passed fail with {@link QueryExpiredException}; those that a
   * batch of this size would answer too late fail with {@link QueryShedException}, unless that
   * would leave the replica idle (it then probes the model with the latest of them). A partial
   * batch is sent only once it may no longer wait (see the class comment). When nothing is sent,
   * the worker is parked until the next {@link #offer}.
   */
  Take take(ReplicaWorker worker, Instant now, int target) {
    List<PendingQuery> batch = new ArrayList<>();
    List<PendingQuery> expired = new ArrayList<>();
    List<PendingQuery> late = new ArrayList<>();
    Instant retryAt;
    synchronized (this) {
      if (worker.isStopped()) {
        return new Take(batch, null);
      }
      dropFinished(now, expired);
      Duration latency = Duration.ofNanos(rate.latencyNanos(Math.min(target, queries.size())));
      retryAt = queries.size() >= target ? null : flushAt(latency);
      if (retryAt != null && !retryAt.isAfter(now)) {
        retryAt = null;
      }
      if (!queries.isEmpty() && retryAt == null) {
        Instant answeredAt = rate.known() ? now.plus(latency) : now;
        while (batch.size() < target && !queries.isEmpty()) {
          PendingQuery next = queries.poll();
          if (next.isDone()) {
            continue;
          }
          if (!next.deadline().isAfter(now)) {
            expired.add(next);
          } else if (admission.enabled() && next.deadline().isBefore(answeredAt)) {
            late.add(next);
          } else {
            next.sent();
            batch.add(next);
          }
        }
        if (batch.isEmpty() && !late.isEmpty()) {
          PendingQuery probe = late.remove(late.size() - 1);
          probe.sent();
          batch.add(probe);
        }
      }
      if (batch.isEmpty()) {
        idle.add(worker);
      } else {
        idle.remove(worker);
      }
    }
    expired.forEach(query -> query.fail(new QueryExpiredException()));
    late.forEach(query -> query.fail(new QueryShedException("Model " + model
        + " would answer after the query's deadline")));
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

  /** Replicas attached whose circuit breaker is not open. */
  synchronized int replicasUp() {
    return (int) workers.stream().filter(ReplicaWorker::isHealthy).count();
  }
}
