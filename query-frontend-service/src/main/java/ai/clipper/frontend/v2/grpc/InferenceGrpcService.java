package ai.clipper.frontend.v2.grpc;

import ai.clipper.frontend.tracing.QueryTracing;
import ai.clipper.frontend.tracing.RequestTrace;
import ai.clipper.frontend.transport.ConnectionTimers;
import ai.clipper.frontend.v2.Inference;
import ai.clipper.frontend.v2.InferenceException;
import ai.clipper.frontend.v2.ModelMetadata;
import ai.clipper.frontend.v2.grpc.proto.GRPCInferenceServiceGrpc;
import ai.clipper.frontend.v2.grpc.proto.ModelInferRequest;
import ai.clipper.frontend.v2.grpc.proto.ModelInferResponse;
import ai.clipper.frontend.v2.grpc.proto.ModelMetadataRequest;
import ai.clipper.frontend.v2.grpc.proto.ModelMetadataResponse;
import ai.clipper.frontend.v2.grpc.proto.ModelReadyRequest;
import ai.clipper.frontend.v2.grpc.proto.ModelReadyResponse;
import ai.clipper.frontend.v2.grpc.proto.ServerLiveRequest;
import ai.clipper.frontend.v2.grpc.proto.ServerLiveResponse;
import ai.clipper.frontend.v2.grpc.proto.ServerMetadataRequest;
import ai.clipper.frontend.v2.grpc.proto.ServerMetadataResponse;
import ai.clipper.frontend.v2.grpc.proto.ServerReadyRequest;
import ai.clipper.frontend.v2.grpc.proto.ServerReadyResponse;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * {@code inference.GRPCInferenceService}: the gRPC shape of {@link Inference}, so a gRPC client
 * gets what a REST client gets. A call's deadline shortens the SLO like a {@code timeout}, less a
 * tenth, so that the default answer reaches the client before its deadline does.
 */
@Component
class InferenceGrpcService extends GRPCInferenceServiceGrpc.GRPCInferenceServiceImplBase {

  private static final Logger LOG = LoggerFactory.getLogger(InferenceGrpcService.class);

  private final Inference inference;
  private final QueryTracing tracing;
  private final ConnectionTimers timers;

  InferenceGrpcService(Inference inference, ConnectionTimers timers, QueryTracing tracing) {
    this.inference = inference;
    this.tracing = tracing;
    this.timers = timers;
  }

  @Override
  public void serverLive(ServerLiveRequest request, StreamObserver<ServerLiveResponse> answer) {
    reply(answer, () -> ServerLiveResponse.newBuilder().setLive(true).build());
  }

  @Override
  public void serverReady(ServerReadyRequest request,
      StreamObserver<ServerReadyResponse> answer) {
    reply(answer, () -> ServerReadyResponse.newBuilder().setReady(inference.isReady()).build());
  }

  @Override
  public void modelReady(ModelReadyRequest request, StreamObserver<ModelReadyResponse> answer) {
    reply(answer, () -> ModelReadyResponse.newBuilder()
        .setReady(inference.isModelReady(request.getName(), version(request.getVersion())))
        .build());
  }

  @Override
  public void serverMetadata(ServerMetadataRequest request,
      StreamObserver<ServerMetadataResponse> answer) {
    reply(answer, () -> ServerMetadataResponse.newBuilder()
        .setName(inference.server().name())
        .setVersion(inference.server().version())
        .addAllExtensions(inference.server().extensions())
        .build());
  }

  @Override
  public void modelMetadata(ModelMetadataRequest request,
      StreamObserver<ModelMetadataResponse> answer) {
    reply(answer, () -> {
      ModelMetadata metadata = inference.metadata(request.getName(),
          version(request.getVersion()));
      ModelMetadataResponse.Builder response = ModelMetadataResponse.newBuilder()
          .setName(metadata.name())
          .addAllVersions(metadata.versions())
          .setPlatform(metadata.platform());
      metadata.inputs().forEach(tensor -> response.addInputs(tensor(tensor)));
      metadata.outputs().forEach(tensor -> response.addOutputs(tensor(tensor)));
      return response.build();
    });
  }

  /** The SLO clock starts when the call is handed to us, before its tensors are decoded. */
  @Override
  public void modelInfer(ModelInferRequest request, StreamObserver<ModelInferResponse> answer) {
    RequestTrace trace = tracing.start(TraceparentInterceptor.TRACEPARENT.get());
    Instant arrival = trace.arrival();
    Deadline deadline = Context.current().getDeadline();
    Optional<Duration> left = deadline == null ? Optional.empty()
        : Optional.of(Duration.ofNanos(deadline.timeRemaining(TimeUnit.NANOSECONDS)));
    if (left.isPresent() && (left.get().isNegative() || left.get().isZero())) {
      answer.onError(Status.DEADLINE_EXCEEDED.withDescription("the call's deadline passed"
          + " before it was served").asRuntimeException());
      return;
    }
    boolean raw = request.getRawInputContentsCount() > 0;
    try {
      // A default sent at the deadline arrives after it: keep a tenth for the way back.
      Optional<Duration> budget = left.map(time -> time.minus(time.dividedBy(10)));
      // the SLO timer runs on the event loop the call runs on, as for a REST query
      inference.infer(InferProtos.request(request, budget), arrival, timers.ofCurrentLoop(),
              trace)
          .whenComplete((result, failure) -> {
            if (failure == null) {
              answer.onNext(InferProtos.response(result, raw));
              answer.onCompleted();
            } else {
              answer.onError(trace.logging(() -> status(failure)));
            }
          });
    } catch (RuntimeException e) {
      trace.finish(request.getModelName(), 0, null, e);
      answer.onError(trace.logging(() -> status(e)));
    }
  }

  private static Optional<String> version(String version) {
    return version.isEmpty() ? Optional.empty() : Optional.of(version);
  }

  private static ModelMetadataResponse.TensorMetadata tensor(ModelMetadata.Tensor tensor) {
    return ModelMetadataResponse.TensorMetadata.newBuilder()
        .setName(tensor.name())
        .setDatatype(tensor.datatype())
        .addAllShape(tensor.shape())
        .build();
  }

  private static <T> void reply(StreamObserver<T> answer, Supplier<T> response) {
    T value;
    try {
      value = response.get();
    } catch (RuntimeException e) {
      answer.onError(status(e));
      return;
    }
    answer.onNext(value);
    answer.onCompleted();
  }

  private static Throwable status(Throwable failure) {
    InferenceException error = InferenceException.of(failure);
    if (error.kind() == InferenceException.Kind.INTERNAL) {
      LOG.error("Unexpected failure of a V2 gRPC call", failure);
    }
    return GrpcStatuses.of(error);
  }
}
