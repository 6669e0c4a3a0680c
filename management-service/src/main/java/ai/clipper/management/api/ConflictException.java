package ai.clipper.management.api;

/** 409: the thing exists already, or a link would conflict. */
class ConflictException extends RuntimeException {

  ConflictException(String message) {
    super(message);
  }
}
