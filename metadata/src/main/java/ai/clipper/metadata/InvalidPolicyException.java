package ai.clipper.metadata;

/** A selection policy or parameter that {@link PolicySchema} rejects; the message says why. */
public class InvalidPolicyException extends IllegalArgumentException {

  InvalidPolicyException(String message) {
    super(message);
  }
}
