package ai.clipper.frontend.rpc;

import ai.clipper.frontend.batching.BatchSender;
import ai.clipper.frontend.batching.ReplicaConnector;
import ai.clipper.frontend.config.FrontendProperties;
import ai.clipper.metadata.Replica;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import java.time.Clock;
import java.time.Duration;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import reactor.netty.resources.LoopResources;

/**
 * Opens plaintext gRPC channels to replicas, one per replica, all on the frontend's replica
 * event loops ({@code clipper.frontend.rpc.event-loop-threads}), apart from the HTTP server's:
 * under a flood the HTTP loops are busy answering, and a model's answer read behind a loop's
 * round of requests leaves the model idle for that long. A thread that does nothing else wakes
 * for the answer at once and sends the replica its next batch.
 */
@Component
class GrpcReplicaConnector implements ReplicaConnector, DisposableBean {

  private final int maxInboundMessageSize;
  private final LoopResources loops;
  private final EventLoopGroup group;
  private final Class<? extends SocketChannel> socketType;
  private final Clock clock;

  GrpcReplicaConnector(FrontendProperties properties, Clock clock) {
    this.maxInboundMessageSize = (int) Math.min(Integer.MAX_VALUE,
        properties.rpc().maxInboundMessageSize().toBytes());
    this.loops = LoopResources.create("clipper-replica", properties.rpc().eventLoopThreads(),
        true);
    this.group = loops.onClient(true);
    this.socketType = loops.onChannelClass(SocketChannel.class, group);
    this.clock = clock;
  }

  /**
   * Dials at once, as the replica appears in the metadata, so a frontend's first query to it does
   * not pay for the connection (a restarted frontend's first answers were defaults at a 100 ms
   * SLO); the channel reconnects by itself.
   */
  @Override
  public BatchSender connect(Replica replica) {
    ManagedChannel channel = NettyChannelBuilder.forAddress(replica.host(), replica.port())
        .eventLoopGroup(group)
        .channelType(socketType)
        .usePlaintext()
        // Answers are handed straight to non-blocking callbacks (completing futures, pulling the
        // next batch), so run them on the channel's event loop: no thread hop.
        .directExecutor()
        .maxInboundMessageSize(maxInboundMessageSize)
        .build();
    channel.getState(true);
    return new ReplicaClient(replica.host() + ":" + replica.port(), channel, clock);
  }

  @Override
  public void destroy() {
    loops.disposeLater(Duration.ZERO, Duration.ofSeconds(2)).block(Duration.ofSeconds(5));
  }
}
