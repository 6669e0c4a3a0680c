package ai.clipper.frontend.batching;

import ai.clipper.frontend.input.QueryInput;
import ai.clipper.frontend.tracing.CallTiming;
import ai.clipper.metadata.ModelId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * The earliest-deadline-first queue of one model version (Clipper's {@code ModelQueue}, Triton's
 * dynamic batcher): replica workers pull batches from it when they have a free slot, so load
 * spreads by how fast each replica answers; an idle worker parks here and is woken by the next
 * query, so nothing polls or blocks.
 *
 * <p>It decides each query's fate as early as it can: a query that {@link Admission} says no
 * replica can answer by its deadline ({@link Capacity}'s forecast) is refused when it arrives
 * ({@link QueryShedException}), and one that can no longer make it when a batch is formed is
 * dropped then, so the model only works on queries it can still answer in time and goodput stays
 * near capacity however much is offered (Clockwork's "reject early"; Clipper NSDI'17 §4.3 bounds
 * latency by batch size alone).
 *
 * <p>Delayed batching lives here too: a partial batch is held back until it fills, its oldest
 * query has waited the model's max wait, or waiting longer would eat into the earliest deadline.
 */
final class BatchQueue {

  /** A replica's worker as the queue sees it: woken to pull when a query arrives. */
  interface Puller {
    void pull();
  }

  /**
   * What a worker gets: a batch to send, or nothing and when to look again ({@code null}: when
   * the next query arrives).
   */
  record Take(List<PendingQuery> batch, Instant retryAt) {
  }

  private final ModelId model;
  private final int limit;
  private final int maxAttempts;
  private final Admission admission;
  private final Capacity capacity = new Capacity();
  /** One refusal for every shed query: made once, it costs a flood nothing per query. */
  private final QueryShedException shed;
  private final QueryShedException late;
  private final PriorityQueue<PendingQuery> queries =
      new PriorityQueue<>(PendingQuery.EARLIEST_DEADLINE_FIRST);
  private final Set<Puller> idle = new LinkedHashSet<>();
  private final Set<Puller> pullers = new LinkedHashSet<>();
  private volatile QueueSettings settings;
  private long sequence;

  /**
   * @param limit queries that may wait before the queue answers {@link QueueFullException}
   * @param maxAttempts how many batches may carry a query before its replica's error is its
   *     answer
   */
  BatchQueue(ModelId model, QueueSettings settings, int limit, int maxAttempts,
      Admission admission) {
    this.model = model;
    this.settings = settings;
    this.limit = limit;
    this.maxAttempts = maxAttempts;
    this.admission = admission;
    this.shed = new QueryShedException("Model " + model
        + " cannot answer the query within its latency SLO at the rate it serves now");
    this.late = new QueryShedException("Model " + model
        + " would answer after the query's deadline");
  }

  ModelId model() {
    return model;
  }

  QueueSettings settings() {
    return settings;
  }

  /** What the model's replicas can take: their workers publish to it, admission reads it. */
  Capacity capacity() {
    return capacity;
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
   * @throws QueryShedException when no replica can answer it by {@code deadline}
   */
  PendingQuery offer(QueryInput input, Instant deadline, Instant now, CallTiming timing) {
    PendingQuery query;
    Puller wake;
    synchronized (this) {
      if (pullers.isEmpty()) {
        throw new NoConnectedModelsException("No connected replica of model " + model);
      }
      if (queries.size() >= limit) {
        throw new QueueFullException(queries.size() + " queries are already waiting for model "
            + model);
      }
      if (!admission.admits(capacity.forecast(queries.size(), now), now, deadline)) {
        throw shed;
      }
      query = new PendingQuery(input, deadline, now, sequence++, timing);
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
    List<Puller> wake;
    synchronized (this) {
      for (PendingQuery query : batch) {
        if (query.isDone()) {
          continue;
        }
        if (pullers.isEmpty() || query.attempts() >= maxAttempts
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
    wake.forEach(Puller::pull);
  }

  /**
   * The next batch for {@code puller}, whose model would start it at {@code startsAt}: up to
   * {@code size} queries, earliest deadlines first.
   * Queries whose deadline has passed fail with {@link QueryExpiredException}; those that a
   * batch of this size would answer too late fail with {@link QueryShedException}, unless that
   * would leave the replica idle (it then probes the model with the latest of them). A partial
   * batch is sent only once it may no longer wait (see the class comment). When nothing is sent,
   * the puller is parked until the next {@link #offer}.
   */
  Take take(Puller puller, Instant now, Instant startsAt, int size) {
    List<PendingQuery> batch = new ArrayList<>();
    List<PendingQuery> expired = new ArrayList<>();
    List<PendingQuery> tooLate = new ArrayList<>();
    Instant retryAt;
    synchronized (this) {
      dropFinished(now, expired);
      long answerNanos = capacity.answerNanos(Math.min(size, queries.size()))
          + Duration.between(now, startsAt).toNanos();
      retryAt = queries.size() >= size ? null : flushAt(Duration.ofNanos(answerNanos));
      if (retryAt != null && !retryAt.isAfter(now)) {
        retryAt = null;
      }
      if (!queries.isEmpty() && retryAt == null) {
        // Whatever the model's time is known to be, even from a batch or two: a query that a
        // batch would answer too late is not sent (and, unlike at admission, a cold estimate
        // costs no work here: the replica still gets the latest of them).
        Instant answeredAt = now.plusNanos(answerNanos);
        while (batch.size() < size && !queries.isEmpty()) {
          PendingQuery next = queries.poll();
          if (next.isDone()) {
            continue;
          }
          if (!next.deadline().isAfter(now)) {
            expired.add(next);
          } else if (admission.late(next.deadline(), answeredAt)) {
            tooLate.add(next);
          } else {
            next.sent();
            batch.add(next);
          }
        }
        if (batch.isEmpty() && !tooLate.isEmpty()) {
          PendingQuery probe = tooLate.remove(tooLate.size() - 1);
          probe.sent();
          batch.add(probe);
        }
      }
      if (batch.isEmpty()) {
        idle.add(puller);
      } else {
        idle.remove(puller);
      }
    }
    expired.forEach(query -> query.fail(new QueryExpiredException()));
    tooLate.forEach(query -> query.fail(late));
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

  private Puller pollIdle() {
    var iterator = idle.iterator();
    if (!iterator.hasNext()) {
      return null;
    }
    Puller next = iterator.next();
    iterator.remove();
    return next;
  }

  synchronized void attach(Puller puller) {
    pullers.add(puller);
  }

  /** Removes a puller; when it was the last, the waiting queries fail at once. */
  void detach(Puller puller) {
    List<PendingQuery> orphans = List.of();
    synchronized (this) {
      pullers.remove(puller);
      idle.remove(puller);
      if (pullers.isEmpty()) {
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
