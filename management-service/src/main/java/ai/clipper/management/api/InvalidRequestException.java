package ai.clipper.management.api;

/** 400: a field is missing, has the wrong type or breaks Clipper's rules. */
class InvalidRequestException extends RuntimeException {

  /** Clipper's prefix for requests that do not match the expected JSON schema. */
  static final String BAD_JSON = "Error parsing JSON";

  private final String error;

  private InvalidRequestException(String error, String message) {
    super(message);
    this.error = error;
  }

  /** A request that breaks a rule, e.g. a name with a colon. */
  static InvalidRequestException invalid(String message) {
    return new InvalidRequestException("Invalid request", message);
  }

  /** A request whose JSON does not match the schema, e.g. a missing field. */
  static InvalidRequestException badJson(String message) {
    return new InvalidRequestException(BAD_JSON, message);
  }

  String error() {
    return error;
  }
}
