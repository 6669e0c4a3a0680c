package ai.clipper.frontend.batching;

/**
 * A replica refused a batch's inputs as invalid: the input's fault, not the replica's, so the
 * queries fail at once and the replica is not blamed.
 */
public final class InputRejectedException extends QueryFailure {

  public InputRejectedException(String message) {
    super(message);
  }
}
