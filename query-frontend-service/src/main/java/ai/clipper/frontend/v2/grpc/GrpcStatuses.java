package ai.clipper.frontend.v2.grpc;

import ai.clipper.frontend.query.OverloadedException;
import ai.clipper.frontend.v2.InferenceException;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * The one place a V2 failure becomes a gRPC status, with the same kinds and messages as REST:
 * INVALID_ARGUMENT (400), NOT_FOUND (404), RESOURCE_EXHAUSTED (413), UNAVAILABLE with a
 * {@code retry-after} trailer (503), INTERNAL.
 */
final class GrpcStatuses {

  static final Metadata.Key<String> RETRY_AFTER =
      Metadata.Key.of("retry-after", Metadata.ASCII_STRING_MARSHALLER);

  private GrpcStatuses() {
  }

  static StatusRuntimeException of(InferenceException error) {
    Status status = switch (error.kind()) {
      case INVALID -> Status.INVALID_ARGUMENT;
      case NOT_FOUND -> Status.NOT_FOUND;
      case TOO_LARGE -> Status.RESOURCE_EXHAUSTED;
      case UNAVAILABLE -> Status.UNAVAILABLE;
      case INTERNAL -> Status.INTERNAL;
    };
    Metadata trailers = new Metadata();
    if (error.kind() == InferenceException.Kind.UNAVAILABLE) {
      trailers.put(RETRY_AFTER, OverloadedException.RETRY_AFTER_SECONDS);
    }
    return status.withDescription(error.getMessage()).asRuntimeException(trailers);
  }
}
