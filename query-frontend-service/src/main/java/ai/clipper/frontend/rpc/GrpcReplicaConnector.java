package ai.clipper.frontend.rpc;

import ai.clipper.frontend.batching.BatchSender;
import ai.clipper.frontend.batching.ReplicaConnector;
import ai.clipper.frontend.config.FrontendProperties;
import ai.clipper.metadata.Replica;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.time.Clock;
import org.springframework.stereotype.Component;

/** Opens a plaintext gRPC channel to a replica, with the frontend's channel settings. */
@Component
class GrpcReplicaConnector implements ReplicaConnector {

  private final int maxInboundMessageSize;
  private final Clock clock;

  GrpcReplicaConnector(FrontendProperties properties, Clock clock) {
    this.maxInboundMessageSize = (int) Math.min(Integer.MAX_VALUE,
        properties.rpc().maxInboundMessageSize().toBytes());
    this.clock = clock;
  }

  /** Connects lazily: the channel dials on its first call and reconnects by itself. */
  @Override
  public BatchSender connect(Replica replica) {
    return new ReplicaClient(replica.host() + ":" + replica.port(),
        NettyChannelBuilder.forAddress(replica.host(), replica.port())
            .usePlaintext()
            // Answers are handed straight to non-blocking callbacks (completing futures, pulling
            // the next batch), so run them on the channel's event loop: one thread hop less.
            .directExecutor()
            .maxInboundMessageSize(maxInboundMessageSize)
            .build(),
        clock);
  }
}
