package ai.clipper.frontend.query;

/**
 * The request pins a model version the app's linked model does not have: Clipper's API answers
 * it as any invalid query (400), the Open Inference Protocol as an unknown model version (404).
 */
public final class UnknownVersionException extends InvalidQueryException {

  UnknownVersionException(String message) {
    super(message);
  }
}
