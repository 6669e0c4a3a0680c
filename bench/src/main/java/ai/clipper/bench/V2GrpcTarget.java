package ai.clipper.bench;

import ai.clipper.frontend.v2.grpc.proto.GRPCInferenceServiceGrpc;
import ai.clipper.frontend.v2.grpc.proto.InferParameter;
import ai.clipper.frontend.v2.grpc.proto.InferTensorContents;
import ai.clipper.frontend.v2.grpc.proto.ModelInferRequest;
import ai.clipper.frontend.v2.grpc.proto.ModelInferResponse;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Calls the frontend's Open Inference Protocol gRPC service ({@code ModelInfer}), one FP64 tensor
 * of shape {@code [1, width]} per call in typed {@code fp64_contents}, with the async stub: the
 * same queries as {@code /{app}/predict}, over the protocol that stock V2 clients use.
 */
final class V2GrpcTarget implements Target {

  /** The trailer the frontend sets on an UNAVAILABLE that sheds a query (REST's Retry-After). */
  static final Metadata.Key<String> RETRY_AFTER =
      Metadata.Key.of("retry-after", Metadata.ASCII_STRING_MARSHALLER);

  private final ManagedChannel channel;
  private final GRPCInferenceServiceGrpc.GRPCInferenceServiceStub stub;
  private final String model;
  private final Inputs inputs;
  private final Duration timeout;

  V2GrpcTarget(ManagedChannel channel, String model, Inputs inputs, Duration timeout) {
    this.channel = channel;
    this.stub = GRPCInferenceServiceGrpc.newStub(channel);
    this.model = model;
    this.inputs = inputs;
    this.timeout = timeout;
  }

  /** A plaintext channel to {@code host:port}, calling V2 model (Clipper app) {@code model}. */
  static V2GrpcTarget connect(String hostPort, String model, Inputs inputs, Duration timeout) {
    return new V2GrpcTarget(GrpcTarget.plaintext(hostPort), model, inputs, timeout);
  }

  ModelInferRequest request(long seq) {
    double[] input = inputs.values(seq);
    InferTensorContents.Builder contents = InferTensorContents.newBuilder();
    for (double x : input) {
      contents.addFp64Contents(x);
    }
    return ModelInferRequest.newBuilder().setModelName(model)
        .addInputs(ModelInferRequest.InferInputTensor.newBuilder().setName("input")
            .setDatatype("FP64").addShape(1).addShape(input.length).setContents(contents))
        .build();
  }

  @Override
  public void send(long seq, Consumer<Outcome> done) {
    stub.withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .modelInfer(request(seq), new StreamObserver<>() {
          private Outcome outcome = Outcome.ERROR;

          @Override
          public void onNext(ModelInferResponse response) {
            outcome = classify(response);
          }

          @Override
          public void onError(Throwable error) {
            done.accept(classify(Status.fromThrowable(error), Status.trailersFromThrowable(error)));
          }

          @Override
          public void onCompleted() {
            done.accept(outcome);
          }
        });
  }

  /**
   * An answer: a default when its {@code parameters} say {@code "default": true} (as on REST),
   * else a model's answer if it carries an output.
   */
  static Outcome classify(ModelInferResponse response) {
    if (response.getOutputsCount() == 0) {
      return Outcome.NON_200;
    }
    InferParameter isDefault = response.getParametersMap().get("default");
    return isDefault != null && isDefault.getBoolParam() ? Outcome.DEFAULT : Outcome.OK;
  }

  /**
   * A failed call, as REST's statuses count: UNAVAILABLE with {@code retry-after} is a shed query
   * (the 503 with Retry-After); no answer at all (a refused or dropped connection, which gRPC
   * reports as UNAVAILABLE without the trailer, or the deadline) is an error; any other status
   * is the frontend's answer that is not a prediction (400, 404, 413, 500).
   */
  static Outcome classify(Status status, Metadata trailers) {
    return switch (status.getCode()) {
      case UNAVAILABLE -> trailers != null && trailers.containsKey(RETRY_AFTER)
          ? Outcome.REJECTED : Outcome.ERROR;
      case DEADLINE_EXCEEDED, CANCELLED -> Outcome.ERROR;
      default -> Outcome.NON_200;
    };
  }

  @Override
  public void close() {
    GrpcTarget.shutdown(channel);
  }
}
