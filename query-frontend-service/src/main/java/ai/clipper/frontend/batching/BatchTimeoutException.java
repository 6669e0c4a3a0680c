package ai.clipper.frontend.batching;

/** A replica did not answer a batch by the batch's deadline. */
public final class BatchTimeoutException extends ReplicaFaultException {

  public BatchTimeoutException(String message) {
    super(message);
  }

  @Override
  public boolean isLateness() {
    return true;
  }
}
