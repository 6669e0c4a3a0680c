package ai.clipper.frontend.tracing;

import io.micrometer.tracing.Span;
import java.util.concurrent.TimeUnit;

/**
 * Where one model call of a request spent its time, stamped by the batching layer as it happens
 * ({@link System#nanoTime()}; 0 for a step not reached): joining the model's queue, its batch
 * leaving for a replica, the replica's answer. Written on the batching threads and read when
 * the request is answered, perhaps before a late batch comes back: hence volatile.
 */
public final class CallTiming {

  private final RequestTrace request;
  private final String model;
  private volatile long queued;
  private volatile long sent;
  private volatile long answered;
  private volatile int batchSize;
  private volatile boolean cacheHit;
  /** The sampled call's model span, open while its batch is at the replica. */
  private volatile Span modelSpan;

  CallTiming(RequestTrace request, String model) {
    this.request = request;
    this.model = model;
  }

  public void queued(long nanos) {
    queued = nanos;
  }

  /**
   * Its batch of {@code size} leaves for a replica now.
   *
   * @return the W3C {@code traceparent} the replica continues the trace with, or null when the
   *     request is not sampled
   */
  public String sent(long nanos, int size) {
    sent = nanos;
    batchSize = size;
    Span span = request.modelSpanStarted(this);
    modelSpan = span;
    return span == null ? null : Traceparents.of(span.context());
  }

  /** The replica answered (or failed) the batch; a requeued batch is sent again later. */
  public void answered(long nanos) {
    answered = nanos;
    Span span = modelSpan;
    if (span != null) {
      modelSpan = null;
      span.end(request.epochMicros(nanos), TimeUnit.MICROSECONDS);
    }
  }

  /** Answered from the prediction cache: no queue, no model. */
  public void cacheHit() {
    cacheHit = true;
  }

  String model() {
    return model;
  }

  long queuedAt() {
    return queued;
  }

  long sentAt() {
    return sent;
  }

  long answeredAt() {
    return answered;
  }

  int batchSize() {
    return batchSize;
  }

  boolean isCacheHit() {
    return cacheHit;
  }

  /** Nanoseconds in the queue by {@code now}: until its batch left, or still waiting. */
  long queueNanos(long now) {
    long q = queued;
    if (q == 0) {
      return 0;
    }
    long s = sent;
    return (s == 0 ? now : s) - q;
  }

  /** Nanoseconds at the replica by {@code now}: until it answered, or still out. */
  long modelNanos(long now) {
    long s = sent;
    if (s == 0) {
      return 0;
    }
    long a = answered;
    return (a == 0 || a < s ? now : a) - s;
  }
}
