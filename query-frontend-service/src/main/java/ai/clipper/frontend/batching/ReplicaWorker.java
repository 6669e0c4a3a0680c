package ai.clipper.frontend.batching;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;

/**
 * Drives one replica without a blocked thread: keeps up to {@code maxInFlight} batches in flight
 * and pulls the next one when a slot frees (re-armed by the answer's callback, the next queued
 * query, or a timer when a partial batch may wait to fill or the circuit breaker is open). Each
 * batch carries its latest query deadline as the call's deadline (a query whose own deadline
 * passes first has had its default already; the others still get the model's answer); its size
 * comes from the replica's {@link AdaptiveBatchSizer}. A replica fault counts against the
 * replica's circuit breaker and puts the batch's queries back in the queue for the other
 * replicas; an input the replica rejects is the input's fault and fails its queries alone.
 * While the breaker is open the worker pulls nothing, and it probes the replica again once the
 * breaker lets it (half-open).
 */
final class ReplicaWorker {

  private final String name;
  private final BatchQueue queue;
  private final BatchSender sender;
  private final Clock clock;
  private final Scheduler timers;
  private final LongSupplier nanos;
  private final AdaptiveBatchSizer sizer;
  private final CircuitBreaker breaker;
  private final ModelMetrics metrics;
  private final int maxInFlight;
  private final Duration probeInterval;
  private volatile boolean stopped;
  /** Whether a batch was answered yet: the first pays for the connection and the model's start. */
  private volatile boolean warm;
  /** When the batch in flight is expected back; read by the queue's admission forecast. */
  private volatile Instant freeAt = Instant.MIN;
  /** When the replica last answered a batch (its start, before the first answer). */
  private volatile Instant lastAnswer;
  /** While the breaker is open: when the worker pulls again, its half-open probe. */
  private volatile Instant probeAt = Instant.MAX;
  private int inFlight;
  private Disposable timer;
  private Instant timerAt;

  /**
   * @param clock the clock of query deadlines
   * @param timers runs the fill and probe timers
   * @param nanos a monotonic nanosecond source for batch latencies
   */
  ReplicaWorker(String name, BatchQueue queue, BatchSender sender, Clock clock, Scheduler timers,
      LongSupplier nanos, AdaptiveBatchSizer sizer, CircuitBreaker breaker, ModelMetrics metrics,
      int maxInFlight, Duration probeInterval) {
    this.name = name;
    this.queue = queue;
    this.sender = sender;
    this.clock = clock;
    this.timers = timers;
    this.nanos = nanos;
    this.sizer = sizer;
    this.breaker = breaker;
    this.metrics = metrics;
    this.maxInFlight = maxInFlight;
    this.probeInterval = probeInterval;
    this.lastAnswer = clock.instant();
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
    }
    queue.detach(this);
  }

  boolean isStopped() {
    return stopped;
  }

  /** Not stopped, and its circuit breaker lets batches through. */
  boolean isHealthy() {
    return !stopped && breaker.getState() != CircuitBreaker.State.OPEN
        && breaker.getState() != CircuitBreaker.State.FORCED_OPEN;
  }

  int batchSizeTarget() {
    return sizer.target(queue.settings().maxBatchSize());
  }

  int maxInFlight() {
    return maxInFlight;
  }

  /** When this replica is expected to have a free slot (in the past when it has one now). */
  Instant freeAt() {
    return freeAt;
  }

  /**
   * When an unhealthy replica takes its next batch: the timer its open breaker armed
   * ({@link Instant#MAX} when none is armed, e.g. before its first refusal).
   */
  Instant probeAt() {
    return probeAt;
  }

  /** Sends as many batches as free slots and the queue allow; otherwise parks or arms a timer. */
  void pull() {
    List<List<PendingQuery>> batches = new ArrayList<>();
    synchronized (this) {
      while (!stopped && inFlight < maxInFlight) {
        if (!breaker.tryAcquirePermission()) {
          // resilience4j lets a probe through strictly after the open duration
          probeAt = clock.instant().plus(probeInterval).plusMillis(1);
          arm(probeAt);
          break;
        }
        BatchQueue.Take take = queue.take(this, clock.instant(), batchSizeTarget());
        if (take.batch().isEmpty()) {
          breaker.releasePermission();
          if (take.retryAt() != null) {
            arm(take.retryAt());
          }
          break;
        }
        inFlight++;
        batches.add(take.batch());
      }
    }
    batches.forEach(this::send);
  }

  private void send(List<PendingQuery> batch) {
    Instant now = clock.instant();
    Duration[] waits = new Duration[batch.size()];
    List<Object> inputs = new ArrayList<>(batch.size());
    Instant deadline = now;
    for (int i = 0; i < waits.length; i++) {
      PendingQuery query = batch.get(i);
      waits[i] = Duration.between(query.enqueuedAt(), now);
      inputs.add(query.input());
      deadline = query.deadline().isAfter(deadline) ? query.deadline() : deadline;
    }
    metrics.sent(batch.size(), waits);
    if (inFlight() >= maxInFlight) {
      freeAt = now.plusNanos(queue.rate().latencyNanos(batch.size()));
    }
    long start = nanos.getAsLong();
    Duration slack = Duration.between(now, deadline);
    sender.send(queue.settings().inputType(), inputs, deadline).whenComplete((outputs, error) -> {
      if (error == null) {
        answered(batch, outputs, start);
      } else {
        failed(batch, unwrap(error), start, slack);
      }
    });
  }

  private void answered(List<PendingQuery> batch, List<String> outputs, long start) {
    long latency = nanos.getAsLong() - start;
    if (outputs.size() != batch.size()) {
      failed(batch, new ReplicaFaultException("Replica " + name + " answered "
          + outputs.size() + " outputs for " + batch.size() + " inputs"), start, null);
      return;
    }
    breaker.onSuccess(latency, TimeUnit.NANOSECONDS);
    lastAnswer = clock.instant();
    QueueSettings settings = queue.settings();
    sizer.observe(batch.size(), latency, settings.latencyBudget().toNanos(),
        settings.maxBatchSize());
    if (warm) {
      queue.rate().observe(batch.size(), latency);
    }
    warm = true;
    metrics.answered(batch.size(), latency);
    for (int i = 0; i < batch.size(); i++) {
      batch.get(i).complete(outputs.get(i));
    }
    finished();
  }

  /**
   * A batch that timed out with less time left than the latency budget was sent too late: that
   * is not the replica's fault, so it neither counts against the breaker nor shrinks the batch
   * size. One that had the whole budget and missed it says the model is slower than thought; it
   * counts against the breaker only when the replica has answered nothing for a whole open
   * duration (hung, not slow): a model slowed by load (a starved CPU, a cold JIT) keeps serving
   * what admission control lets through, where an open breaker would shed everything.
   */
  private void failed(List<PendingQuery> batch, Throwable error, long start, Duration slack) {
    long latency = nanos.getAsLong() - start;
    QueueSettings settings = queue.settings();
    boolean timedOut = error instanceof BatchTimeoutException;
    boolean sentLate = timedOut && slack != null
        && slack.compareTo(settings.latencyBudget()) < 0;
    boolean slowButAlive = timedOut
        && Duration.between(lastAnswer, clock.instant()).compareTo(probeInterval) < 0;
    if (sentLate || slowButAlive) {
      breaker.releasePermission();
    } else {
      breaker.onError(latency, TimeUnit.NANOSECONDS, error);
    }
    if (!isReplicaFault(error)) {
      batch.forEach(query -> query.fail(error));
    } else {
      metrics.failed(latency);
      if (timedOut && !sentLate) {
        // The replica had the whole budget and missed it: a batch this big does not fit, and
        // the model takes at least this long.
        sizer.observe(batch.size(), latency, settings.latencyBudget().toNanos(),
            settings.maxBatchSize());
        queue.rate().observe(batch.size(), latency);
      }
      queue.requeue(batch, error, clock.instant());
    }
    finished();
  }

  private void finished() {
    synchronized (this) {
      inFlight--;
      freeAt = Instant.MIN;
    }
    pull();
  }

  private synchronized int inFlight() {
    return inFlight;
  }

  /** Whether an error is the replica's (it counts against it and its queries go elsewhere). */
  static boolean isReplicaFault(Throwable error) {
    return !(error instanceof InputRejectedException);
  }

  private static Throwable unwrap(Throwable error) {
    return error instanceof java.util.concurrent.CompletionException && error.getCause() != null
        ? error.getCause() : error;
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
