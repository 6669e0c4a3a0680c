package ai.clipper.frontend.v2.grpc;

import ai.clipper.frontend.config.EventLoops;
import ai.clipper.frontend.config.FrontendProperties;
import ai.clipper.frontend.transport.BodyLimit;
import ai.clipper.frontend.v2.grpc.proto.GRPCInferenceServiceGrpc;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The V2 gRPC server on {@code clipper.frontend.v2.grpc-port} (1339): the inference service
 * and the standard {@code grpc.health.v1.Health}, SERVING while the frontend is ready (so not
 * during its warm-up). Calls run on the HTTP server's event loops ({@link EventLoops}), where a
 * call's batch goes to the model and its answer comes back: nothing on the path blocks. Its
 * messages are bounded like REST bodies. On shutdown it stops taking calls and lets those in
 * flight finish, each by its SLO.
 */
@Component
public class InferenceGrpcServer implements SmartLifecycle {

  private static final Logger LOG = LoggerFactory.getLogger(InferenceGrpcServer.class);
  private static final long DRAIN_SECONDS = 30;

  private final int port;
  private final int maxMessageBytes;
  private final InferenceGrpcService service;
  private final EventLoops loops;
  private final HealthStatusManager health = new HealthStatusManager();
  private volatile Server server;

  InferenceGrpcServer(FrontendProperties properties, InferenceGrpcService service,
      EventLoops loops, BodyLimit maxMessage) {
    this.port = properties.v2().grpcPort();
    this.maxMessageBytes = maxMessage.bytes();
    this.service = service;
    this.loops = loops;
    setStatus(ServingStatus.NOT_SERVING);
  }

  /** The port it listens on (the one picked, when configured as 0); -1 before it starts. */
  public int port() {
    Server running = server;
    return running == null ? -1 : running.getPort();
  }

  @EventListener
  void onReadiness(AvailabilityChangeEvent<ReadinessState> event) {
    setStatus(event.getState() == ReadinessState.ACCEPTING_TRAFFIC
        ? ServingStatus.SERVING : ServingStatus.NOT_SERVING);
  }

  @Override
  public void start() {
    try {
      server = NettyServerBuilder.forPort(port)
          .bossEventLoopGroup(loops.acceptors())
          .workerEventLoopGroup(loops.workers())
          .channelType(loops.serverSocketType())
          .directExecutor()
          .maxInboundMessageSize(maxMessageBytes)
          .addService(ServerInterceptors.intercept(service, new TraceparentInterceptor()))
          .addService(health.getHealthService())
          .build()
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException("Could not serve V2 gRPC on port " + port, e);
    }
    LOG.info("V2 gRPC (inference.GRPCInferenceService) on port {}", server.getPort());
  }

  @Override
  public void stop() {
    Server running = server;
    if (running == null) {
      return;
    }
    health.enterTerminalState();
    running.shutdown();
    try {
      if (!running.awaitTermination(DRAIN_SECONDS, TimeUnit.SECONDS)) {
        running.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running.shutdownNow();
    }
    server = null;
  }

  @Override
  public boolean isRunning() {
    return server != null;
  }

  private void setStatus(ServingStatus status) {
    health.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, status);
    health.setStatus(GRPCInferenceServiceGrpc.SERVICE_NAME, status);
  }
}
