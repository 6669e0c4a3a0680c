package ai.clipper.frontend.batching;

/**
 * A replica failed a batch (it errored, went away or answered the wrong number of outputs): it
 * counts against the replica, and the batch's queries are tried on another replica.
 *
 * @see ai.clipper.frontend.batching.BatchSender
 */
public class ReplicaFaultException extends QueryFailure {

  /** @param message what the replica said, e.g. {@code UNAVAILABLE: connection refused} */
  public ReplicaFaultException(String message) {
    super(message);
  }
}
