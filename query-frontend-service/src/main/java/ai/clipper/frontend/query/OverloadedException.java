package ai.clipper.frontend.query;

/**
 * The query cannot be served now and the client should retry later (503 with Retry-After): the
 * model's queue is full, or admission control shed it for an app that asked to be told
 * ({@code overload: reject}) rather than answered with its default.
 */
public final class OverloadedException extends RuntimeException {

  /** Seconds an overloaded client is asked to wait: every API's Retry-After (a gRPC trailer). */
  public static final String RETRY_AFTER_SECONDS = "1";

  OverloadedException(String message) {
    super(message, null, false, false);
  }
}
