package ai.clipper.frontend.tracing;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Traces queries with Micrometer Tracing, off the query's budget: a request decides at arrival
 * whether it is sampled (the client's {@code traceparent} flag, else the sampling ratio), with
 * no span made for the others; a sampled one gets a {@code clipper.predict} span at once, and a {@code clipper.queue} and a
 * {@code clipper.model} span per model call as its batch leaves, whose id the model container
 * continues. A request not sampled costs no span, unless it ends in a default or an error: its
 * spans are then made from its timings, with {@link KeepSampler#KEEP} (at most
 * {@code clipper.frontend.tracing.keep-per-second} of them).
 */
@Component
public class QueryTracing {

  /** The W3C trace context header a client may send, and the gRPC metadata key. */
  public static final String HEADER = "traceparent";

  /** The one header asked for, as the request's carrier: W3C trace context. */
  private static final Propagator.Getter<String> TRACEPARENT =
      (traceparent, key) -> HEADER.equals(key) ? traceparent : null;
  private static final TimeUnit MICROS = TimeUnit.MICROSECONDS;

  private final Tracer tracer;
  private final Propagator propagator;
  private final Clock clock;
  private final double probability;
  private final KeepBudget keepBudget;

  /**
   * @param probability the share of requests without a client's decision that are sampled
   * @param keepPerSecond how many requests not sampled that end in a default or an error have
   *     their spans made, per second
   */
  QueryTracing(Tracer tracer, Propagator propagator, Clock clock,
      @Value("${management.tracing.sampling.probability:0.01}") double probability,
      @Value("${clipper.frontend.tracing.keep-per-second:100}") int keepPerSecond) {
    this.tracer = tracer;
    this.propagator = propagator;
    this.clock = clock;
    this.probability = probability;
    this.keepBudget = new KeepBudget(keepPerSecond);
  }

  /** A request arriving now, with the client's {@code traceparent} (or null). */
  public RequestTrace start(String traceparent) {
    long nanos = System.nanoTime();
    Instant now = clock.instant();
    boolean sampled = traceparent != null ? Traceparents.isSampled(traceparent)
        : ThreadLocalRandom.current().nextDouble() < probability;
    Span span = sampled ? requestSpan(traceparent).tag(KeepSampler.KEEP.getKey(), true)
        .startTimestamp(RequestTrace.epochMicros(now), MICROS)
        .start() : null;
    return new RequestTrace(this, nanos, now, traceparent, span);
  }

  /** The sampled call's queue span, ended as its batch leaves, and its open model span. */
  Span modelSpan(TraceContext parent, CallTiming call, RequestTrace request) {
    queueSpan(parent, call, request);
    return child(parent, "clipper.model", call)
        .kind(Span.Kind.CLIENT)
        .tag("clipper.batch_size", call.batchSize())
        .startTimestamp(request.epochMicros(call.sentAt()), MICROS)
        .start();
  }

  void finish(RequestTrace request, RequestTrace.Outcome outcome, long nowNanos) {
    Span span = request.span();
    if (!request.isSampled()) {
      if (!outcome.keep() || !keepBudget.take(nowNanos)) {
        return;
      }
      span = requestSpan(request.traceparent())
          .tag(KeepSampler.KEEP.getKey(), true)
          .startTimestamp(request.arrivalEpochMicros(), MICROS)
          .start();
      request.kept(span.context().traceId());
      madeAfter(span.context(), request, nowNanos);
    }
    tag(span, outcome, request.calls());
    span.end(request.epochMicros(nowNanos), MICROS);
  }

  /** The queue and model spans of a request not sampled, from its timings. */
  private void madeAfter(TraceContext parent, RequestTrace request, long nowNanos) {
    for (CallTiming call : request.calls()) {
      queueSpan(parent, call, request);
      if (call.sentAt() != 0) {
        long answered = call.answeredAt() >= call.sentAt() ? call.answeredAt() : nowNanos;
        child(parent, "clipper.model", call)
            .kind(Span.Kind.CLIENT)
            .tag("clipper.batch_size", call.batchSize())
            .startTimestamp(request.epochMicros(call.sentAt()), MICROS)
            .start()
            .end(request.epochMicros(answered), MICROS);
      }
    }
  }

  private void queueSpan(TraceContext parent, CallTiming call, RequestTrace request) {
    if (call.queuedAt() == 0) {
      return;
    }
    long left = call.sentAt() != 0 ? call.sentAt() : System.nanoTime();
    child(parent, "clipper.queue", call)
        .startTimestamp(request.epochMicros(call.queuedAt()), MICROS)
        .start()
        .end(request.epochMicros(left), MICROS);
  }

  private Span.Builder child(TraceContext parent, String name, CallTiming call) {
    return tracer.spanBuilder().setParent(parent).name(name).tag("clipper.model", call.model());
  }

  private Span.Builder requestSpan(String traceparent) {
    Span.Builder builder = traceparent == null ? tracer.spanBuilder().setNoParent()
        : propagator.extract(traceparent, TRACEPARENT);
    return builder.name("clipper.predict").kind(Span.Kind.SERVER);
  }

  /** What the request span says: the app, the user's bucket, how it ended, its first call. */
  private static void tag(Span span, RequestTrace.Outcome outcome, List<CallTiming> calls) {
    if (outcome.app() != null) {
      span.tag("clipper.app", outcome.app());
    }
    span.tag("clipper.uid_bucket", outcome.uid() == 0 ? "shared"
        : Integer.toString(Math.floorMod(outcome.uid(), 64)));
    span.tag("clipper.default", outcome.defaultReason() != null);
    if (outcome.defaultReason() != null) {
      span.tag("clipper.default_reason", outcome.defaultReason());
    }
    span.tag("clipper.calls", calls.size());
    if (!calls.isEmpty()) {
      CallTiming first = calls.get(0);
      String model = first.model();
      span.tag("clipper.model", model);
      span.tag("clipper.model_version", model.substring(model.lastIndexOf(':') + 1));
      span.tag("clipper.cache_hit", first.isCacheHit());
      span.tag("clipper.batch_size", first.batchSize());
    }
    if (outcome.error() != null) {
      span.error(outcome.error());
    }
  }
}
