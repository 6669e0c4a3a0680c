package ai.clipper.frontend.batching;

/**
 * Why a queued query got no output from its model: the batching layer's outcomes, free of any
 * transport. Cheap to make (no stack trace): under overload thousands are made per second.
 */
public abstract class QueryFailure extends RuntimeException {

  QueryFailure(String message) {
    super(message, null, false, false);
  }

  /**
   * Whether the query ran out of time rather than failed: a caller with a later deadline
   * (one coalesced onto it) may still ask again on its own time.
   */
  public boolean isLateness() {
    return false;
  }
}
