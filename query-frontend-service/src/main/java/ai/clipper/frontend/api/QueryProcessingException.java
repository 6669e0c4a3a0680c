package ai.clipper.frontend.api;

import org.springframework.http.HttpStatus;

/** Valid JSON that asks for something impossible: Clipper's 400 "Query processing error". */
final class QueryProcessingException extends ApiException {

  QueryProcessingException(String cause) {
    super(HttpStatus.BAD_REQUEST, "Query processing error", cause);
  }
}
