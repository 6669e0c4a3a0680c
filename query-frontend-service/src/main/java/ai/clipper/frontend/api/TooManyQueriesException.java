package ai.clipper.frontend.api;

import ai.clipper.frontend.query.InputLimit;
import org.springframework.http.HttpStatus;

/** An input_batch with more queries than one request may carry (413, naming the limit). */
final class TooManyQueriesException extends ApiException {

  TooManyQueriesException(int limit) {
    super(HttpStatus.CONTENT_TOO_LARGE, "Too many queries", "input_batch holds more than "
        + limit + " inputs, the most one request may carry here"
        + " (" + InputLimit.PROPERTY + ")");
  }
}
