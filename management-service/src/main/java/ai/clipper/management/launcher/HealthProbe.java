package ai.clipper.management.launcher;

import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Waits for a replica to answer the standard gRPC health check ({@code grpc.health.v1.Health/Check},
 * service {@code ""}) with SERVING, polling every 200 ms without blocking the caller.
 */
class HealthProbe {

  static final Duration POLL_INTERVAL = Duration.ofMillis(200);
  private static final Duration CALL_DEADLINE = Duration.ofSeconds(1);

  private final ScheduledExecutorService scheduler;

  HealthProbe(ScheduledExecutorService scheduler) {
    this.scheduler = scheduler;
  }

  /**
   * Completes with true once the replica is SERVING, or false when {@code timeout} passes or
   * {@code stillWanted} turns false (the process exited or was stopped).
   */
  CompletableFuture<Boolean> awaitServing(String host, int port, Duration timeout,
      BooleanSupplier stillWanted) {
    ManagedChannel channel = NettyChannelBuilder.forAddress(host, port).usePlaintext().build();
    CompletableFuture<Boolean> result = new CompletableFuture<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    scheduler.execute(() -> poll(channel, deadline, stillWanted, result));
    return result.whenComplete((serving, error) -> channel.shutdownNow());
  }

  private void poll(ManagedChannel channel, long deadline, BooleanSupplier stillWanted,
      CompletableFuture<Boolean> result) {
    if (!stillWanted.getAsBoolean() || System.nanoTime() > deadline) {
      result.complete(false);
      return;
    }
    if (isServing(channel)) {
      result.complete(true);
      return;
    }
    scheduler.schedule(() -> poll(channel, deadline, stillWanted, result),
        POLL_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
  }

  private static boolean isServing(ManagedChannel channel) {
    // without this, a channel that failed to connect waits out gRPC's reconnect backoff (1 s+)
    channel.resetConnectBackoff();
    try {
      return HealthGrpc.newBlockingStub(channel)
          .withDeadlineAfter(CALL_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
          .check(HealthCheckRequest.newBuilder().setService("").build())
          .getStatus() == ServingStatus.SERVING;
    } catch (RuntimeException notYet) {
      return false;
    }
  }
}
