package ai.clipper.frontend.api;

import org.springframework.http.HttpStatus;

/** A failure the client caused, answered as {@code {"error": ..., "cause": ...}} with a status. */
abstract class ApiException extends RuntimeException {

  private final HttpStatus status;
  private final String error;

  ApiException(HttpStatus status, String error, String cause) {
    super(cause, null, false, false);
    this.status = status;
    this.error = error;
  }

  HttpStatus status() {
    return status;
  }

  String error() {
    return error;
  }

  String cause() {
    return getMessage();
  }
}
