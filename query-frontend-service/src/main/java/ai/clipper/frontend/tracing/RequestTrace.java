package ai.clipper.frontend.tracing;

import io.micrometer.tracing.Span;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.MDC;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * One request's record of where its time went: when it arrived, and each model call's
 * {@link CallTiming}. A sampled request also has its span, open from its arrival; the others
 * have spans only if they end in a default or an error, made from the timings afterwards.
 */
public final class RequestTrace {

  private final QueryTracing tracing;
  private final long arrivalNanos;
  private final Instant arrival;
  private final long arrivalEpochMicros;
  /** The client's W3C {@code traceparent}, or null. */
  private final String traceparent;
  /** The sampled request's span, open since its arrival; null when not sampled. */
  private final Span span;
  private final boolean sampled;
  /** The trace id of the spans made after the fact of a request not sampled, once made. */
  private volatile String keptTraceId;
  private final List<CallTiming> calls = new ArrayList<>(1);
  private final AtomicBoolean finished = new AtomicBoolean();

  RequestTrace(QueryTracing tracing, long arrivalNanos, Instant arrival, String traceparent,
      Span span) {
    this.tracing = tracing;
    this.arrivalNanos = arrivalNanos;
    this.arrival = arrival;
    this.arrivalEpochMicros = epochMicros(arrival);
    this.traceparent = traceparent;
    this.span = span;
    this.sampled = span != null && !span.isNoop();
  }

  /** A request whose times are kept for its answer, but never exported (feedback, tests). */
  public static RequestTrace untraced() {
    return new RequestTrace(null, System.nanoTime(), Instant.now(), null, null);
  }

  /** When the request arrived: its SLO clock starts here, before its body is read. */
  public Instant arrival() {
    return arrival;
  }

  /** A new model call of this request, to {@code model} ({@code name:version}). */
  public CallTiming call(String model) {
    CallTiming call = new CallTiming(this, model);
    synchronized (calls) {
      calls.add(call);
    }
    return call;
  }

  /** Whether the request's spans are recorded as it goes. */
  public boolean isSampled() {
    return sampled;
  }

  /**
   * Puts the request's trace id in the logging context (MDC {@code traceId}, as Micrometer
   * Tracing names it) while {@code logging} runs, so a line about the request says which it was.
   */
  public <T> T logging(Supplier<T> logging) {
    String traceId = sampled ? span.context().traceId() : keptTraceId;
    if (traceId == null && traceparent != null) {
      traceId = Traceparents.traceId(traceparent);
    }
    if (traceId == null) {
      return logging.get();
    }
    try (MDC.MDCCloseable logged = MDC.putCloseable("traceId", traceId)) {
      return logging.get();
    }
  }

  void kept(String traceId) {
    keptTraceId = traceId;
  }

  /**
   * The timing parts by {@code nowNanos}: those of the call that took longest (the one the
   * answer waited for), and the total since arrival.
   */
  public ServerTiming timing(long nowNanos) {
    long queue = 0;
    long model = 0;
    boolean cacheHit = false;
    synchronized (calls) { // no copy of the calls per answer
      for (CallTiming call : calls) {
        long q = call.queueNanos(nowNanos);
        long m = call.modelNanos(nowNanos);
        if (q + m >= queue + model) {
          queue = q;
          model = m;
          cacheHit = call.isCacheHit();
        }
      }
    }
    return new ServerTiming(queue, model, nowNanos - arrivalNanos, cacheHit);
  }

  /**
   * The request was answered ({@code error} null) or failed: ends its span, or, for a request
   * not sampled that ended in a default or an error, exports its spans now. Only the first call
   * counts.
   *
   * @param app the app, or null when the request named none that exists
   * @param defaultReason why a default was answered (the first, for several inputs), or null
   */
  public void finish(String app, int uid, String defaultReason, Throwable error) {
    if (tracing != null && finished.compareAndSet(false, true)) {
      tracing.finish(this, new Outcome(app, uid, defaultReason, error), System.nanoTime());
    }
  }

  /** How a request ended, for its span's tags. */
  record Outcome(String app, int uid, String defaultReason, Throwable error) {

    boolean keep() {
      return defaultReason != null || error != null;
    }
  }

  List<CallTiming> calls() {
    synchronized (calls) {
      return List.copyOf(calls);
    }
  }

  Span modelSpanStarted(CallTiming call) {
    return sampled ? tracing.modelSpan(span.context(), call, this) : null;
  }

  long epochMicros(long nanos) {
    return arrivalEpochMicros + (nanos - arrivalNanos) / 1000;
  }

  static long epochMicros(Instant time) {
    return time.getEpochSecond() * 1_000_000 + time.getNano() / 1000;
  }

  long arrivalEpochMicros() {
    return arrivalEpochMicros;
  }

  String traceparent() {
    return traceparent;
  }

  Span span() {
    return span;
  }
}
