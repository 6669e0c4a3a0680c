package ai.clipper.frontend.v2;

import ai.clipper.frontend.concurrent.CompletionCause;
import ai.clipper.frontend.query.InvalidQueryException;
import ai.clipper.frontend.query.OverloadedException;
import ai.clipper.frontend.query.UnknownVersionException;

/**
 * A V2 request that cannot be answered, with the protocol's kind of failure; {@link #of} is the
 * one place any failure becomes one, so REST ({@code {"error"}} + status) and gRPC (a status
 * code) answer the same request the same way.
 */
public final class InferenceException extends RuntimeException {

  /** The protocol's failure kinds, with their HTTP status; gRPC maps them to status codes. */
  public enum Kind {
    /** Bad input: wrong datatype for the app, a shape that does not match the data, ... */
    INVALID(400),
    /** An unknown model (app) or version. */
    NOT_FOUND(404),
    /** The body is over the frontend's size limit. */
    TOO_LARGE(413),
    /** Shedding load: retry later. */
    UNAVAILABLE(503),
    /** Our fault; the message says nothing more. */
    INTERNAL(500);

    private final int httpStatus;

    Kind(int httpStatus) {
      this.httpStatus = httpStatus;
    }

    public int httpStatus() {
      return httpStatus;
    }
  }

  private final Kind kind;

  private InferenceException(Kind kind, String message) {
    super(message, null, false, false);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }

  public static InferenceException invalid(String message) {
    return new InferenceException(Kind.INVALID, message);
  }

  public static InferenceException notFound(String message) {
    return new InferenceException(Kind.NOT_FOUND, message);
  }

  public static InferenceException tooLarge(String message) {
    return new InferenceException(Kind.TOO_LARGE, message);
  }

  /**
   * Any failure of a V2 call as the protocol's kind; an unexpected one is INTERNAL, with a
   * message that gives nothing away (the caller logs the original).
   */
  public static InferenceException of(Throwable failure) {
    Throwable error = CompletionCause.of(failure);
    if (error instanceof InferenceException known) {
      return known;
    }
    if (error instanceof UnknownVersionException unknown) {
      return notFound(unknown.getMessage());
    }
    if (error instanceof InvalidQueryException invalid) {
      return invalid(invalid.getMessage());
    }
    if (error instanceof OverloadedException overloaded) {
      return new InferenceException(Kind.UNAVAILABLE, overloaded.getMessage());
    }
    return new InferenceException(Kind.INTERNAL, "An unexpected error occurred");
  }
}
