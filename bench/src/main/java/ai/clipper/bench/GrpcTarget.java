package ai.clipper.bench;

import ai.clipper.sdk.proto.DoubleBatch;
import ai.clipper.sdk.proto.ModelContainerGrpc;
import ai.clipper.sdk.proto.PredictRequest;
import ai.clipper.sdk.proto.PredictResponse;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Calls a model container directly, one input per {@code Predict} batch, with the async stub: the
 * floor, what the frontend cannot beat since it makes this same call for every query.
 */
final class GrpcTarget implements Target {

  private final ManagedChannel channel;
  private final ModelContainerGrpc.ModelContainerStub stub;
  private final Inputs inputs;
  private final Duration timeout;

  GrpcTarget(ManagedChannel channel, Inputs inputs, Duration timeout) {
    this.channel = channel;
    this.stub = ModelContainerGrpc.newStub(channel);
    this.inputs = inputs;
    this.timeout = timeout;
  }

  /** A plaintext channel to {@code host:port}. */
  static GrpcTarget connect(String hostPort, Inputs inputs, Duration timeout) {
    return new GrpcTarget(plaintext(hostPort), inputs, timeout);
  }

  /** A plaintext channel to {@code host:port}. */
  static ManagedChannel plaintext(String hostPort) {
    return io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder.forTarget(hostPort)
        .usePlaintext().build();
  }

  /** Closes {@code channel}, failing the calls still in flight. */
  static void shutdown(ManagedChannel channel) {
    channel.shutdownNow();
    try {
      channel.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static PredictRequest request(double[] input) {
    DoubleBatch.Builder batch = DoubleBatch.newBuilder().addLengths(input.length);
    for (double x : input) {
      batch.addValues(x);
    }
    return PredictRequest.newBuilder().setDoubles(batch).build();
  }

  @Override
  public void send(long seq, Consumer<Outcome> done) {
    stub.withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .predict(request(inputs.values(seq)), new StreamObserver<>() {
          private Outcome outcome = Outcome.ERROR;

          @Override
          public void onNext(PredictResponse response) {
            outcome = response.getOutputsCount() == 1 ? Outcome.OK : Outcome.ERROR;
          }

          @Override
          public void onError(Throwable error) {
            done.accept(Outcome.ERROR);
          }

          @Override
          public void onCompleted() {
            done.accept(outcome);
          }
        });
  }

  @Override
  public void close() {
    shutdown(channel);
  }
}
