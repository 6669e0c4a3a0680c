package ai.clipper.frontend.query;

/** Valid input that asks for something impossible (an unknown version, an unknown policy). */
public class InvalidQueryException extends RuntimeException {

  InvalidQueryException(String message) {
    super(message, null, false, false);
  }
}
