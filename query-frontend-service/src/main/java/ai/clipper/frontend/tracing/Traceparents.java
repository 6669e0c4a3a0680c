package ai.clipper.frontend.tracing;

import io.micrometer.tracing.TraceContext;

/** W3C trace context's {@code traceparent} header: version 00, sampled. */
final class Traceparents {

  private Traceparents() {
  }

  static String of(TraceContext context) {
    return "00-" + context.traceId() + "-" + context.spanId() + "-01";
  }
}
