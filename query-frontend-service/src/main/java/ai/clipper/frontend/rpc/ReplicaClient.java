package ai.clipper.frontend.rpc;

import ai.clipper.sdk.proto.ModelContainerGrpc;
import ai.clipper.sdk.proto.PredictRequest;
import ai.clipper.sdk.proto.PredictResponse;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.Deadline;
import io.grpc.ManagedChannel;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import reactor.core.publisher.Mono;

/** The gRPC client of one model container replica, with its calls wrapped as {@link Mono}s. */
public final class ReplicaClient implements AutoCloseable {

  private final String target;
  private final ManagedChannel channel;
  private final Clock clock;

  public ReplicaClient(String target, ManagedChannel channel, Clock clock) {
    this.target = target;
    this.channel = channel;
    this.clock = clock;
  }

  /**
   * Sends one batch; the call fails with {@code DEADLINE_EXCEEDED} at {@code deadline}, and is
   * cancelled when the returned {@code Mono} is.
   *
   * @return one output per input of the batch, in order
   */
  public Mono<List<String>> predict(PredictRequest batch, Instant deadline) {
    return Mono.create(sink -> {
      long nanos = Math.max(0, Duration.between(clock.instant(), deadline).toNanos());
      ClientCall<PredictRequest, PredictResponse> call = channel.newCall(
          ModelContainerGrpc.getPredictMethod(),
          CallOptions.DEFAULT.withDeadline(Deadline.after(nanos, TimeUnit.NANOSECONDS)));
      sink.onCancel(() -> call.cancel("The query frontend no longer needs this batch", null));
      ClientCalls.asyncUnaryCall(call, batch, new StreamObserver<>() {
        @Override
        public void onNext(PredictResponse response) {
          sink.success(response.getOutputsList());
        }

        @Override
        public void onError(Throwable error) {
          sink.error(error);
        }

        @Override
        public void onCompleted() {
          sink.success();
        }
      });
    });
  }

  /** {@code host:port} of the replica. */
  public String target() {
    return target;
  }

  /** Stops new calls; calls in flight finish or meet their deadline. */
  @Override
  public void close() {
    channel.shutdown();
  }

  @Override
  public String toString() {
    return "ReplicaClient[" + target + "]";
  }
}
