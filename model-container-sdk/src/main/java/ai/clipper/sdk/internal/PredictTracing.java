package ai.clipper.sdk.internal;

import ai.clipper.sdk.ContainerConfig;
import ai.clipper.sdk.TracingConfig;
import io.grpc.ServerInterceptor;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.zipkin.ZipkinSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import zipkin2.reporter.urlconnection.URLConnectionSender;

/**
 * Records a {@code predict} span per sampled query of a batch, each the child of the frontend's
 * span named by one {@code traceparent} value, and exports them off the model thread: the SDK's
 * batch processor queues them (2048 at most, dropping beyond) and sends them every second.
 */
public final class PredictTracing implements AutoCloseable {

  private static final AttributeKey<Long> BATCH_SIZE = AttributeKey.longKey("clipper.batch_size");
  private static final TextMapGetter<String> VALUE = new TextMapGetter<>() {
    @Override
    public Iterable<String> keys(String traceparent) {
      return List.of("traceparent");
    }

    @Override
    public String get(String traceparent, String key) {
      return "traceparent".equals(key) ? traceparent : null;
    }
  };

  private final SdkTracerProvider provider;
  private final Tracer tracer;
  private final Attributes model;

  private PredictTracing(SdkTracerProvider provider, ContainerConfig config) {
    this.provider = provider;
    this.tracer = provider.get("ai.clipper.sdk");
    this.model = Attributes.of(AttributeKey.stringKey("clipper.model"), config.modelName(),
        AttributeKey.stringKey("clipper.model_version"), config.modelVersion());
  }

  /** Tracing as {@code config} says, empty when it sends spans nowhere. */
  public static Optional<PredictTracing> start(ContainerConfig config) {
    return config.tracing().map(tracing -> new PredictTracing(SdkTracerProvider.builder()
        .setResource(Resource.getDefault().merge(Resource.create(Attributes.of(
            AttributeKey.stringKey("service.name"), tracing.serviceName()))))
        // A span shows in the collector about a second after its query: a user looks right away.
        .addSpanProcessor(BatchSpanProcessor.builder(exporter(tracing))
            .setScheduleDelay(Duration.ofSeconds(1)).build())
        .build(), config));
  }

  private static SpanExporter exporter(TracingConfig tracing) {
    return switch (tracing.exporter()) {
      case ZIPKIN -> ZipkinSpanExporter.builder()
          .setSender(URLConnectionSender.create(tracing.endpoint().toString())).build();
      case OTLP -> OtlpHttpSpanExporter.builder().setEndpoint(tracing.endpoint().toString())
          .build();
    };
  }

  /** Reads the {@code traceparent} values of each call for {@link #startSpans(List, int)}. */
  public ServerInterceptor interceptor() {
    return new TraceparentInterceptor();
  }

  /**
   * Starts one span per sampled, well-formed {@code traceparent}; the others are ignored (a
   * malformed value never fails a prediction).
   */
  PredictSpans startSpans(List<String> traceparents, int batchSize) {
    List<Span> spans = new ArrayList<>(traceparents.size());
    for (String traceparent : traceparents) {
      Context parent = W3CTraceContextPropagator.getInstance()
          .extract(Context.root(), traceparent, VALUE);
      SpanContext caller = Span.fromContext(parent).getSpanContext();
      if (caller.isValid() && caller.isSampled()) {
        spans.add(tracer.spanBuilder("predict").setParent(parent).setSpanKind(SpanKind.SERVER)
            .setAllAttributes(model).setAttribute(BATCH_SIZE, (long) batchSize).startSpan());
      }
    }
    return new PredictSpans(spans);
  }

  /** Sends the spans not sent yet, waiting up to 5 seconds. */
  @Override
  public void close() {
    provider.shutdown().join(5, TimeUnit.SECONDS);
  }
}
