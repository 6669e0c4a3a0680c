package ai.clipper.frontend.v2;

import java.time.Duration;
import java.time.temporal.ChronoUnit;

/**
 * The request {@code parameters} we read, with the same rules over REST and gRPC: {@code uid}
 * (whose selection state picks the model, as on predict), {@code timeout} (microseconds, as
 * Triton's; it can only shorten the app's SLO) and {@code timing} (a bool: the response's
 * parameters then hold {@code queue_ms}, {@code model_ms} and {@code total_ms}). Any other
 * parameter is ignored, as the protocol
 * lets servers do.
 */
public final class RequestParameters {

  public static final String UID = "uid";
  public static final String TIMEOUT = "timeout";
  /** Whether the response's parameters should say where the request's time went. */
  public static final String TIMING = "timing";
  public static final String QUEUE_MS = "queue_ms";
  public static final String MODEL_MS = "model_ms";
  public static final String TOTAL_MS = "total_ms";

  private RequestParameters() {
  }

  /** @throws InferenceException (400) unless the uid fits 32 bits */
  public static int uid(long value) {
    if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
      throw InferenceException.invalid("parameter uid must be a 32-bit integer, not " + value);
    }
    return (int) value;
  }

  /** @throws InferenceException (400) unless the timeout is a positive number of microseconds */
  public static Duration timeout(long micros) {
    if (micros <= 0) {
      throw InferenceException.invalid("parameter timeout must be a positive number of"
          + " microseconds, not " + micros);
    }
    return Duration.of(micros, ChronoUnit.MICROS);
  }
}
