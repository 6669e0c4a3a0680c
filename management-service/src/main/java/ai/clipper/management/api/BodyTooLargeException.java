package ai.clipper.management.api;

import java.io.IOException;

/** 413: the request body is larger than {@code clipper.management.max-body-size}. */
class BodyTooLargeException extends IOException {

  BodyTooLargeException(long limit) {
    super("The request body is larger than " + limit + " bytes");
  }
}
