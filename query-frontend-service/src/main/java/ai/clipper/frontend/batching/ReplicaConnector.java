package ai.clipper.frontend.batching;

import ai.clipper.metadata.Replica;

/** Opens the transport to a replica; {@code rpc} implements it with gRPC. */
public interface ReplicaConnector {

  /** A sender that dials lazily and reconnects by itself. */
  BatchSender connect(Replica replica);
}
