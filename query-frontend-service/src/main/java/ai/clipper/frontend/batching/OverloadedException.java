package ai.clipper.frontend.batching;

/** A model version's queue is full: the client should retry later (503 with Retry-After). */
public class OverloadedException extends RuntimeException {

  public OverloadedException(String message) {
    super(message, null, false, false);
  }
}
