package ai.clipper.frontend.tracing;

/**
 * The parts of one answer's time, for its {@code Server-Timing} header (W3C Server Timing) and
 * V2's response parameters: queue wait and model time of the call the answer waited for, and
 * the total from the request's arrival; the parts add up to at most the total.
 */
public record ServerTiming(long queueNanos, long modelNanos, long totalNanos, boolean cacheHit) {

  public static final String HEADER = "Server-Timing";

  /** {@code queue;dur=0.052, model;dur=1.204, total;dur=1.498}, in milliseconds. */
  public String header() {
    StringBuilder header = new StringBuilder(64);
    part(header, "queue", queueNanos).append(", ");
    part(header, "model", modelNanos).append(", ");
    part(header, "total", totalNanos);
    return cacheHit ? header.append(", cache;desc=hit").toString() : header.toString();
  }

  public static double millis(long nanos) {
    return nanos / 1e6;
  }

  /** {@code name;dur=} and the milliseconds with three decimals, without String.format's cost. */
  private static StringBuilder part(StringBuilder header, String name, long nanos) {
    long micros = Math.max(0, nanos) / 1000;
    long fraction = micros % 1000;
    header.append(name).append(";dur=").append(micros / 1000).append('.');
    if (fraction < 100) {
      header.append(fraction < 10 ? "00" : "0");
    }
    return header.append(fraction);
  }
}
