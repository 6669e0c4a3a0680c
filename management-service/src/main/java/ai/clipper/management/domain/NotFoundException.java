package ai.clipper.management.domain;

/** 404: the named app, model version or replica does not exist. */
public class NotFoundException extends RuntimeException {

  public NotFoundException(String message) {
    super(message);
  }
}
