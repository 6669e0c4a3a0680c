package ai.clipper.management.domain;

/** 409: the thing exists already, or a link would conflict. */
public class ConflictException extends RuntimeException {

  public ConflictException(String message) {
    super(message);
  }
}
