package ai.clipper.frontend.api;

import org.springframework.http.HttpStatus;

/** The request names an app that does not exist (Clipper dropped the connection; we say 404). */
final class AppNotFoundException extends ApiException {

  AppNotFoundException(String app) {
    super(HttpStatus.NOT_FOUND, "Application not found", "No application named '" + app + "'");
  }
}
