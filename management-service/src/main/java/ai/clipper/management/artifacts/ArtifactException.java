package ai.clipper.management.artifacts;

/** An upload that is not stored: its bytes do not match the digest its client sent. */
public class ArtifactException extends RuntimeException {

  public ArtifactException(String message) {
    super(message);
  }
}
