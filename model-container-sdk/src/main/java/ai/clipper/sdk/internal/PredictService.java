package ai.clipper.sdk.internal;

import ai.clipper.sdk.ContainerConfig;
import ai.clipper.sdk.InputType;
import ai.clipper.sdk.wire.BatchCodec;
import ai.clipper.sdk.Model;
import ai.clipper.sdk.proto.MetadataRequest;
import ai.clipper.sdk.proto.MetadataResponse;
import ai.clipper.sdk.proto.ModelContainerGrpc;
import ai.clipper.sdk.proto.PredictRequest;
import ai.clipper.sdk.proto.PredictResponse;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The gRPC side of a container: checks a batch, hands it to the model, checks the answer. The
 * model predicts on one thread, one batch at a time in arrival order (a replica is one model
 * instance, as in Clipper and in Triton's instance groups): a batch that arrives while the model
 * works waits its turn, so the frontend can keep the next batch here and the model never waits
 * for the network or the frontend between batches. A batch whose caller gave up (its deadline
 * passed) while it waited is not predicted. Around the model's predict call it records the
 * {@code predict} spans of the batch's sampled queries and the container metrics, when on.
 */
public final class PredictService extends ModelContainerGrpc.ModelContainerImplBase {

  private static final Logger LOG = Logger.getLogger(PredictService.class.getName());

  private final Model<Object> model;
  private final ContainerConfig config;
  private final Executor modelThread;
  private final Optional<PredictTracing> tracing;
  private final Optional<ContainerMetrics> metrics;

  /**
   * @param modelThread runs every prediction: a single thread
   * @param tracing records the spans of the sampled queries of a batch, when tracing is on
   * @param metrics counts batches, when metrics are served
   */
  @SuppressWarnings("unchecked")
  public PredictService(Model<?> model, ContainerConfig config, Executor modelThread,
      Optional<PredictTracing> tracing, Optional<ContainerMetrics> metrics) {
    this.model = (Model<Object>) model;
    this.config = config;
    this.modelThread = modelThread;
    this.tracing = tracing;
    this.metrics = metrics;
  }

  @Override
  public void predict(PredictRequest request, StreamObserver<PredictResponse> responses) {
    long received = System.nanoTime();
    List<String> traceparents = TraceparentInterceptor.current();  // the call's gRPC context
    modelThread.execute(() -> {
      if (!((ServerCallStreamObserver<PredictResponse>) responses).isCancelled()) {
        answer(request, responses, System.nanoTime() - received, traceparents);
      }
    });
  }

  private void answer(PredictRequest request, StreamObserver<PredictResponse> responses,
      long queueNanos, List<String> traceparents) {
    List<Object> inputs;
    try {
      inputs = decode(request);
    } catch (RuntimeException e) {
      metrics.ifPresent(ContainerMetrics::refused);
      responses.onError(toStatus(e).asRuntimeException());
      return;
    }
    PredictSpans spans = traceparents.isEmpty() ? PredictSpans.NONE
        : tracing.map(t -> t.startSpans(traceparents, inputs.size())).orElse(PredictSpans.NONE);
    long start = System.nanoTime();
    List<String> outputs;
    try {
      outputs = model.predict(inputs);
      if (outputs == null || outputs.size() != inputs.size()) {
        throw new IllegalStateException("The model returned "
            + (outputs == null ? "null" : outputs.size() + " outputs") + " for "
            + inputs.size() + " inputs");
      }
    } catch (Exception | LinkageError e) {
      spans.failed(e);
      metrics.ifPresent(m -> m.modelRan(inputs.size(), System.nanoTime() - start, false));
      responses.onError(toStatus(e).asRuntimeException());
      return;
    }
    long computeNanos = System.nanoTime() - start;
    spans.succeeded();
    metrics.ifPresent(m -> m.modelRan(inputs.size(), computeNanos, true));
    // The model's own time and the wait before it, apart from the network's and the
    // frontend's: what admission control and the batch sizer go by.
    responses.onNext(PredictResponse.newBuilder().addAllOutputs(outputs)
        .setComputeNanos(computeNanos).setQueueNanos(queueNanos).build());
    responses.onCompleted();
  }

  private List<Object> decode(PredictRequest request) {
    InputType sent = BatchCodec.typeOf(request).orElseThrow(
        () -> new BadBatchException("The request carries no inputs"));
    if (sent != config.inputType()) {
      throw new BadBatchException("This container takes " + config.inputType()
          + " inputs, not " + sent);
    }
    List<Object> inputs = BatchCodec.decode(request);
    if (inputs.isEmpty()) {
      throw new BadBatchException("The batch is empty");
    }
    return inputs;
  }

  @Override
  public void metadata(MetadataRequest request, StreamObserver<MetadataResponse> responses) {
    responses.onNext(MetadataResponse.newBuilder()
        .setModelName(config.modelName())
        .setModelVersion(config.modelVersion())
        .setInputType(ai.clipper.sdk.proto.InputType.valueOf(config.inputType().name()))
        .build());
    responses.onCompleted();
  }

  /** The one place a failure becomes a gRPC status. */
  static Status toStatus(Throwable e) {
    if (e instanceof BadBatchException || e instanceof IllegalArgumentException
        || e instanceof ClassCastException) {
      return Status.INVALID_ARGUMENT.withDescription(e.getMessage());
    }
    LOG.log(Level.WARNING, "Model failed on a batch", e);
    return Status.INTERNAL.withDescription("Model error: " + e);
  }

  private static final class BadBatchException extends RuntimeException {
    BadBatchException(String message) {
      super(message);
    }
  }
}
