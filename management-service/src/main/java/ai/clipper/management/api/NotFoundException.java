package ai.clipper.management.api;

/** 404: the named app, model version or replica does not exist. */
class NotFoundException extends RuntimeException {

  NotFoundException(String message) {
    super(message);
  }
}
