package ai.clipper.metadata;

import ai.clipper.sdk.InputType;

/** A running copy of a model version that answers gRPC at {@code host:port}. */
public record Replica(
    ModelId model,
    int replicaId,
    String host,
    int port,
    InputType inputType,
    Status status) {

  /** Only {@code UP} replicas receive queries. */
  public enum Status { STARTING, UP, DOWN }

  /** Clipper's container id, {@code name:version:replica}. */
  public String key() {
    return model + ":" + replicaId;
  }

  public boolean isUp() {
    return status == Status.UP;
  }

  public Replica withStatus(Status newStatus) {
    return new Replica(model, replicaId, host, port, inputType, newStatus);
  }
}
