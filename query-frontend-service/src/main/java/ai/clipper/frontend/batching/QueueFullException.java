package ai.clipper.frontend.batching;

/** A model version's queue holds its configured maximum: the client should retry later. */
public final class QueueFullException extends QueryFailure {

  public QueueFullException(String message) {
    super(message);
  }
}
