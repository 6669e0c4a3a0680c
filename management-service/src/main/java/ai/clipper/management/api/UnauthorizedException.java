package ai.clipper.management.api;

/** 401: a mutating call without the configured bearer token. */
class UnauthorizedException extends RuntimeException {

  UnauthorizedException(String message) {
    super(message);
  }
}
