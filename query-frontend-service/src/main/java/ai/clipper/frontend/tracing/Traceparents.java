package ai.clipper.frontend.tracing;

import io.micrometer.tracing.TraceContext;

/** W3C trace context's {@code traceparent} header: {@code 00-<trace id>-<span id>-<flags>}. */
final class Traceparents {

  private static final int LENGTH = 55;

  private Traceparents() {
  }

  /** Whether a well-formed header has the sampled flag; a malformed one samples nothing. */
  static boolean isSampled(String traceparent) {
    return traceparent.length() >= LENGTH && traceparent.charAt(2) == '-'
        && traceparent.charAt(35) == '-' && traceparent.charAt(52) == '-'
        && (Character.digit(traceparent.charAt(54), 16) & 1) == 1;
  }

  /** The trace id of a header of the right length, or null. */
  static String traceId(String traceparent) {
    return traceparent.length() >= LENGTH ? traceparent.substring(3, 35) : null;
  }

  /** A sampled child of {@code context}'s span. */
  static String of(TraceContext context) {
    return "00-" + context.traceId() + "-" + context.spanId() + "-01";
  }
}
