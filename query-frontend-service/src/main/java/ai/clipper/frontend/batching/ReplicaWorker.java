package ai.clipper.frontend.batching;

import ai.clipper.frontend.concurrent.CompletionCause;
import ai.clipper.frontend.input.QueryInput;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;

/**
 * Drives one replica without a blocked thread: keeps enough batches in flight that its model
 * never waits for the network or the frontend between two (at most {@code maxInFlight}), and
 * pulls the next one when a slot frees (re-armed by the answer's callback, the next queued
 * query, or a timer when a partial batch may wait to fill or the replica is out). Each batch
 * carries its latest query deadline as the call's deadline (a query whose own deadline passes
 * first has had its default already; the others still get the model's answer); its size comes
 * from the replica's {@link AdaptiveBatchSizer}, fed the model's own time. After every change it
 * publishes what the replica can take to the model's {@link Capacity}. A replica fault counts
 * against its {@link ReplicaHealth} and puts the batch's queries back in the queue for the other
 * replicas; an input the replica rejects is the input's fault and fails its queries alone.
 */
final class ReplicaWorker implements BatchQueue.Puller {

  private final String name;
  private final BatchQueue queue;
  private final Capacity capacity;
  private final BatchSender sender;
  private final Clock clock;
  private final Scheduler timers;
  private final LongSupplier nanos;
  private final AdaptiveBatchSizer sizer;
  private final ReplicaHealth health;
  private final ModelMetrics metrics;
  private final int maxInFlight;
  private volatile boolean stopped;
  /** Whether a batch was answered yet: the first pays for the connection and the model's start. */
  private volatile boolean warm;
  /** The sizes of the batches in flight, in the order they were sent. */
  private final ArrayDeque<Integer> inFlight = new ArrayDeque<>();
  /** When the model is expected to have finished the batches in flight (one after the other). */
  private Instant busyUntil = Instant.MIN;
  private Disposable timer;
  private Instant timerAt;

  /**
   * @param clock the clock of query deadlines
   * @param timers runs the fill and probe timers
   * @param nanos a monotonic nanosecond source for batch round trips
   */
  ReplicaWorker(String name, BatchQueue queue, BatchSender sender, Clock clock, Scheduler timers,
      LongSupplier nanos, AdaptiveBatchSizer sizer, ReplicaHealth health, ModelMetrics metrics,
      int maxInFlight) {
    this.name = name;
    this.queue = queue;
    this.capacity = queue.capacity();
    this.sender = sender;
    this.clock = clock;
    this.timers = timers;
    this.nanos = nanos;
    this.sizer = sizer;
    this.health = health;
    this.metrics = metrics;
    this.maxInFlight = maxInFlight;
  }

  /** Starts pulling: sends a batch if queries wait, otherwise parks in the queue. */
  void start() {
    queue.attach(this);
    pull();
  }

  /** Takes no new batch; the batches in flight still complete (or requeue) their queries. */
  void stop() {
    stopped = true;
    synchronized (this) {
      cancelTimer();
      capacity.remove(this);
    }
    queue.detach(this);
  }

  /** Not stopped, and its circuit breaker lets batches through. */
  boolean isUp() {
    return !stopped && health.isUp();
  }

  synchronized int inFlight() {
    return inFlight.size();
  }

  ReplicaHealth.State breakerState() {
    return health.state();
  }

  int batchSizeTarget() {
    return sizer.target(queue.settings().maxBatchSize());
  }

  /** Sends as many batches as free slots and the queue allow; otherwise parks or arms a timer. */
  @Override
  public void pull() {
    List<List<PendingQuery>> batches = new ArrayList<>();
    synchronized (this) {
      while (!stopped && inFlight.size() < depth()) {
        if (!health.tryAcquire()) {
          arm(health.probeAt());
          break;
        }
        Instant now = clock.instant();
        Instant startsAt = busyUntil.isAfter(now) ? busyUntil : now;
        BatchQueue.Take take = queue.take(this, now, startsAt, batchSizeTarget());
        if (take.batch().isEmpty()) {
          health.release();
          if (take.retryAt() != null) {
            arm(take.retryAt());
          }
          break;
        }
        inFlight.add(take.batch().size());
        busyUntil = startsAt.plusNanos(capacity.service().nanos(take.batch().size()));
        batches.add(take.batch());
      }
      publish();
    }
    batches.forEach(this::send);
  }

  /**
   * How many batches to keep in flight: enough that the next one already waits at the replica
   * when its model finishes one, however long an answer now takes to come back (Little's law:
   * one batch per model time, each in flight for the model's time and the way back and forth),
   * and at least two; never more than {@code maxInFlight}.
   */
  private int depth() {
    long model = capacity.service().nanos(batchSizeTarget());
    long depth = model == 0 ? 2 : 2 + capacity.transport().medianNanos() / model;
    return (int) Math.min(maxInFlight, depth);
  }

  /** Tells the model's capacity what this replica can take now. Called holding the lock. */
  private void publish() {
    if (!stopped) {
      int depth = depth();
      capacity.publish(this, new Capacity.Replica(health.isUp(),
          Math.max(0, depth - inFlight.size()), depth, busyUntil, batchSizeTarget(),
          health.probeAt()));
    }
  }

  private void send(List<PendingQuery> batch) {
    Instant now = clock.instant();
    long start = nanos.getAsLong();
    Duration[] waits = new Duration[batch.size()];
    List<QueryInput> inputs = new ArrayList<>(batch.size());
    List<String> traceparents = List.of();
    Instant deadline = now;
    for (int i = 0; i < waits.length; i++) {
      PendingQuery query = batch.get(i);
      waits[i] = Duration.between(query.enqueuedAt(), now);
      inputs.add(query.input());
      deadline = query.deadline().isAfter(deadline) ? query.deadline() : deadline;
      String traceparent = query.timing().sent(start, waits.length);
      if (traceparent != null) {
        traceparents = traceparents.isEmpty() ? new ArrayList<>() : traceparents;
        traceparents.add(traceparent);
      }
    }
    metrics.sent(batch.size(), waits);
    Duration slack = Duration.between(now, deadline);
    sender.send(queue.settings().inputType(), inputs, deadline, traceparents)
        .whenComplete((answer, error) -> {
          long end = nanos.getAsLong();
          long roundTrip = end - start;
          batch.forEach(query -> query.timing().answered(end));
          if (error != null) {
            failed(batch, CompletionCause.of(error), roundTrip, slack);
          } else if (answer.outputs().size() != batch.size()) {
            failed(batch, new ReplicaFaultException("Replica " + name + " answered "
                + answer.outputs().size() + " outputs for " + batch.size() + " inputs"),
                roundTrip, slack);
          } else {
            answered(batch, answer, roundTrip);
          }
        });
  }

  private void answered(List<PendingQuery> batch, BatchAnswer answer, long roundTrip) {
    health.answered(roundTrip);
    // The model's own time; a container that does not say is judged by the round trip.
    long compute = answer.computeNanos() > 0 ? Math.min(answer.computeNanos(), roundTrip)
        : roundTrip;
    long queued = Math.min(answer.queueNanos(), roundTrip - compute);
    if (warm) {
      capacity.observe(batch.size(), compute, queued, roundTrip);
    }
    warm = true;
    QueueSettings settings = queue.settings();
    sizer.observe(batch.size(), compute + capacity.transport().floorNanos(),
        settings.latencyBudget().toNanos(), settings.maxBatchSize());
    metrics.answered(batch.size(), roundTrip, compute);
    List<String> outputs = answer.outputs();
    for (int i = 0; i < batch.size(); i++) {
      batch.get(i).complete(outputs.get(i));
    }
    finished();
  }

  private void failed(List<PendingQuery> batch, Throwable error, long roundTrip,
      Duration slack) {
    QueueSettings settings = queue.settings();
    boolean hung = health.failed(error, roundTrip, slack, settings.latencyBudget());
    if (!isReplicaFault(error)) {
      batch.forEach(query -> query.fail(error));
    } else {
      metrics.failed(roundTrip);
      if (hung) {
        // The replica had the whole budget and answered nothing: a batch this big does not fit.
        sizer.observe(batch.size(), roundTrip, settings.latencyBudget().toNanos(),
            settings.maxBatchSize());
      }
      queue.requeue(batch, error, clock.instant());
    }
    finished();
  }

  /**
   * Frees the slot of the oldest batch in flight. The model, having answered it, works on the
   * ones sent after it: they are due from now, whatever the estimate said when they were sent,
   * so an estimate a little short does not add up batch after batch.
   */
  private void finished() {
    synchronized (this) {
      inFlight.poll();
      Instant now = clock.instant();
      busyUntil = inFlight.isEmpty() ? Instant.MIN : now;
      for (int size : inFlight) {
        busyUntil = busyUntil.plusNanos(capacity.service().nanos(size));
      }
    }
    pull();
  }

  /** Whether an error is the replica's (it counts against it and its queries go elsewhere). */
  static boolean isReplicaFault(Throwable error) {
    return !(error instanceof InputRejectedException);
  }

  /** Pulls at {@code at}, unless a timer already fires sooner. Called holding the lock. */
  private void arm(Instant at) {
    if (timer != null && !timer.isDisposed() && !timerAt.isAfter(at)) {
      return;
    }
    cancelTimer();
    long delay = Math.max(0, Duration.between(clock.instant(), at).toNanos());
    timerAt = at;
    timer = timers.schedule(this::onTimer, delay, TimeUnit.NANOSECONDS);
  }

  private void onTimer() {
    synchronized (this) {
      timer = null;
    }
    pull();
  }

  private void cancelTimer() {
    if (timer != null) {
      timer.dispose();
      timer = null;
    }
  }

  @Override
  public String toString() {
    return "ReplicaWorker[" + name + "]";
  }
}
