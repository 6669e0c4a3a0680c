package ai.clipper.frontend.rpc;

import ai.clipper.frontend.batching.BatchTimeoutException;
import ai.clipper.frontend.batching.InputRejectedException;
import ai.clipper.frontend.batching.QueryFailure;
import ai.clipper.frontend.batching.ReplicaFaultException;
import io.grpc.Status;

/**
 * The one place a gRPC failure becomes a domain outcome: INVALID_ARGUMENT is the input's fault,
 * DEADLINE_EXCEEDED a timeout, anything else the replica's fault. The message keeps the status
 * code and description ({@code UNKNOWN: boom}), which clients see in the default's explanation.
 */
final class StatusFailures {

  private StatusFailures() {
  }

  static QueryFailure of(Throwable error) {
    Status status = Status.fromThrowable(error);
    String message = status.getCode() == Status.Code.UNKNOWN && status.getDescription() == null
        ? String.valueOf(error.getMessage())
        : status.getCode() + (status.getDescription() == null ? "" : ": "
            + status.getDescription());
    return switch (status.getCode()) {
      case INVALID_ARGUMENT -> new InputRejectedException(message);
      case DEADLINE_EXCEEDED -> new BatchTimeoutException(message);
      default -> new ReplicaFaultException(message);
    };
  }

  static QueryFailure badInput(RuntimeException cause) {
    return new InputRejectedException(Status.Code.INVALID_ARGUMENT + ": " + cause.getMessage());
  }
}
