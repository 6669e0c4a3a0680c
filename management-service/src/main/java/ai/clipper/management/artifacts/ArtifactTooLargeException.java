package ai.clipper.management.artifacts;

/** 413: an upload larger than {@code clipper.management.artifacts.max-size}. */
public class ArtifactTooLargeException extends RuntimeException {

  public ArtifactTooLargeException(long limit) {
    super("The artifact is larger than the limit of " + limit + " bytes"
        + " (clipper.management.artifacts.max-size)");
  }
}
