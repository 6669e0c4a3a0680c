package ai.clipper.frontend.rpc;

import ai.clipper.frontend.batching.BatchAnswer;
import ai.clipper.frontend.batching.BatchSender;
import ai.clipper.frontend.input.QueryInput;
import ai.clipper.sdk.InputType;
import ai.clipper.sdk.proto.ModelContainerGrpc;
import ai.clipper.sdk.proto.PredictRequest;
import ai.clipper.sdk.proto.PredictResponse;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.grpc.ClientCall;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.ManagedChannel;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** The gRPC client of one model container replica: batches in, outputs or domain failures out. */
final class ReplicaClient implements BatchSender {

  private final String target;
  private final ManagedChannel channel;
  private final Clock clock;

  ReplicaClient(String target, ManagedChannel channel, Clock clock) {
    this.target = target;
    this.channel = channel;
    this.clock = clock;
  }

  /** The gRPC metadata key of the W3C trace contexts a batch carries, one value per query. */
  static final Metadata.Key<String> TRACEPARENT =
      Metadata.Key.of("traceparent", Metadata.ASCII_STRING_MARSHALLER);

  /**
   * Encodes and sends one batch; the call fails with a timeout at {@code deadline}. The answer
   * completes on the channel's event loop. The sampled queries' trace contexts go in the call's
   * metadata, a {@code traceparent} value each.
   */
  @Override
  public CompletableFuture<BatchAnswer> send(InputType type, List<QueryInput> inputs,
      Instant deadline, List<String> traceparents) {
    CompletableFuture<BatchAnswer> outputs = new CompletableFuture<>();
    PredictRequest request;
    try {
      request = BatchEncoder.encode(type, inputs);
    } catch (RuntimeException notOfItsType) {
      outputs.completeExceptionally(StatusFailures.badInput(notOfItsType));
      return outputs;
    }
    long nanos = Math.max(0, Duration.between(clock.instant(), deadline).toNanos());
    // A batch carries many callers' queries: it must not take the deadline or the cancellation
    // of the incoming gRPC call (V2 ModelInfer) on whose thread it happens to be sent.
    Context previous = Context.ROOT.attach();
    try {
      ClientCall<PredictRequest, PredictResponse> call = channel(traceparents).newCall(
          ModelContainerGrpc.getPredictMethod(),
          CallOptions.DEFAULT.withDeadline(Deadline.after(nanos, TimeUnit.NANOSECONDS)));
      ClientCalls.asyncUnaryCall(call, request, answer(outputs));
    } finally {
      Context.ROOT.detach(previous);
    }
    return outputs;
  }

  private Channel channel(List<String> traceparents) {
    if (traceparents.isEmpty()) {
      return channel;
    }
    Metadata headers = new Metadata();
    traceparents.forEach(traceparent -> headers.put(TRACEPARENT, traceparent));
    return ClientInterceptors.intercept(channel,
        MetadataUtils.newAttachHeadersInterceptor(headers));
  }

  private StreamObserver<PredictResponse> answer(CompletableFuture<BatchAnswer> outputs) {
    return new StreamObserver<>() {
      @Override
      public void onNext(PredictResponse response) {
        outputs.complete(new BatchAnswer(response.getOutputsList(), response.getComputeNanos(),
            response.getQueueNanos()));
      }

      @Override
      public void onError(Throwable error) {
        outputs.completeExceptionally(StatusFailures.of(error));
      }

      @Override
      public void onCompleted() {
        // after onNext on every answered call: build no exception (and its stack trace) then
        if (!outputs.isDone()) {
          outputs.completeExceptionally(StatusFailures.of(
              new IllegalStateException("Replica " + target + " answered nothing")));
        }
      }
    };
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
