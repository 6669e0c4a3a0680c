package ai.clipper.management.launcher;

/** The launcher cannot run the requested {@code container_name} (answered as 400). */
public class UnknownContainerException extends RuntimeException {

  public UnknownContainerException(String message) {
    super(message);
  }
}
