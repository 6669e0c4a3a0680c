package ai.clipper.frontend.api;

import org.springframework.http.HttpStatus;

/** The body is not JSON, or not the JSON the app expects: Clipper's 400 "Json error". */
final class InvalidInputException extends ApiException {

  InvalidInputException(String cause) {
    super(HttpStatus.BAD_REQUEST, "Json error", cause);
  }
}
