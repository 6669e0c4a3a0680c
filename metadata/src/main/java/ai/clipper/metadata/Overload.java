package ai.clipper.metadata;

import java.util.Arrays;
import java.util.Optional;

/**
 * What an app's client gets for a query its model cannot answer by the SLO because the model is
 * overloaded: Clipper's default output (an answer is always better than none), or, for a client
 * that would rather retry or fail over, a 503 with Retry-After.
 */
public enum Overload {
  /** The app's default output, flagged as a default, at once (Clipper's semantics). */
  DEFAULT_OUTPUT("default"),
  /** HTTP 503 with Retry-After, at once. */
  REJECT("reject");

  private final String wireName;

  Overload(String wireName) {
    this.wireName = wireName;
  }

  /** The name in the admin API and in Redis: {@code default} or {@code reject}. */
  public String wireName() {
    return wireName;
  }

  public static Optional<Overload> parse(String name) {
    return Arrays.stream(values()).filter(o -> o.wireName.equals(name)).findFirst();
  }
}
