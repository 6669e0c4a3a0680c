package ai.clipper.frontend.rpc;

import ai.clipper.frontend.batching.BatchSender;
import ai.clipper.frontend.batching.ReplicaConnector;
import ai.clipper.frontend.config.EventLoops;
import ai.clipper.frontend.config.FrontendProperties;
import ai.clipper.metadata.Replica;
import io.grpc.netty.NettyChannelBuilder;
import java.time.Clock;
import org.springframework.stereotype.Component;

/**
 * Opens plaintext gRPC channels to a replica, one per event loop of the frontend's servers (see
 * {@link LoopChannels}), with the frontend's channel settings.
 */
@Component
class GrpcReplicaConnector implements ReplicaConnector {

  private final int maxInboundMessageSize;
  private final EventLoops loops;
  private final Clock clock;

  GrpcReplicaConnector(FrontendProperties properties, EventLoops loops, Clock clock) {
    this.maxInboundMessageSize = (int) Math.min(Integer.MAX_VALUE,
        properties.rpc().maxInboundMessageSize().toBytes());
    this.loops = loops;
    this.clock = clock;
  }

  /** Connects lazily: each channel dials on its first call and reconnects by itself. */
  @Override
  public BatchSender connect(Replica replica) {
    LoopChannels channels = new LoopChannels(loops, loop ->
        NettyChannelBuilder.forAddress(replica.host(), replica.port())
            .eventLoopGroup(loop)
            .channelType(loops.socketType())
            .usePlaintext()
            // Answers are handed straight to non-blocking callbacks (completing futures, pulling
            // the next batch), so run them on the channel's event loop: no thread hop.
            .directExecutor()
            .maxInboundMessageSize(maxInboundMessageSize)
            .build());
    return new ReplicaClient(replica.host() + ":" + replica.port(), channels, clock);
  }
}
