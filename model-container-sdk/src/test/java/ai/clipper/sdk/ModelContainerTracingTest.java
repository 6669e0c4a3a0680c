package ai.clipper.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.clipper.sdk.SpanCollector.Post;
import ai.clipper.sdk.proto.ModelContainerGrpc;
import ai.clipper.sdk.proto.PredictResponse;
import ai.clipper.sdk.wire.BatchCodec;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ModelContainerTracingTest {

  private static final Metadata.Key<String> TRACEPARENT =
      Metadata.Key.of("traceparent", Metadata.ASCII_STRING_MARSHALLER);
  private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String OTHER_TRACE = "0af7651916cd43dd8448eb211c80319c";

  private final Model<String> echo = inputs -> {
    if (inputs.contains("boom")) {
      throw new IllegalStateException("broken model");
    }
    return inputs;
  };
  private SpanCollector collector;
  private ModelContainer container;
  private ManagedChannel channel;

  @BeforeEach
  void startCollector() throws Exception {
    collector = new SpanCollector();
  }

  @AfterEach
  void stop() {
    if (channel != null) {
      channel.shutdownNow();
    }
    if (container != null) {
      container.close();
    }
    collector.close();
  }

  private void serve(TracingConfig tracing) throws Exception {
    container = ModelContainer.start(echo, new ContainerConfig("m", "3", InputType.STRINGS, 0,
        "127.0.0.1", Optional.empty(), Optional.empty()).withTracing(tracing));
    channel = NettyChannelBuilder.forAddress("127.0.0.1", container.port()).usePlaintext().build();
  }

  private void serveToZipkin() throws Exception {
    serve(new TracingConfig(TracingConfig.Exporter.ZIPKIN, collector.uri("/api/v2/spans"),
        "clipper-model-m"));
  }

  private PredictResponse predict(List<String> inputs, String... traceparents) {
    Metadata headers = new Metadata();
    for (String traceparent : traceparents) {
      headers.put(TRACEPARENT, traceparent);
    }
    return ModelContainerGrpc.newBlockingStub(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
        .predict(BatchCodec.encode(InputType.STRINGS, inputs));
  }

  /** The spans the collector received once the container has flushed them at close. */
  private List<JsonObject> zipkinSpans() {
    container.close();
    return collector.posts().stream()
        .flatMap(post -> JsonParser.parseString(new String(post.body(), StandardCharsets.UTF_8))
            .getAsJsonArray().asList().stream())
        .map(span -> span.getAsJsonObject())
        .toList();
  }

  @Test
  void sendsOnePredictSpanPerSampledTraceparentAsAChildOfIt() throws Exception {
    serveToZipkin();
    predict(List.of("a", "b"), "00-" + TRACE + "-00f067aa0ba902b7-01",
        "00-" + OTHER_TRACE + "-b7ad6b7169203331-01");

    List<JsonObject> spans = zipkinSpans();
    assertThat(spans).hasSize(2);
    assertThat(spans).extracting(span -> span.get("traceId").getAsString() + "/"
        + span.get("parentId").getAsString())
        .containsExactlyInAnyOrder(TRACE + "/00f067aa0ba902b7", OTHER_TRACE + "/b7ad6b7169203331");
    for (JsonObject span : spans) {
      assertThat(span.get("name").getAsString()).isEqualTo("predict");
      assertThat(span.get("kind").getAsString()).isEqualTo("SERVER");
      assertThat(span.get("id").getAsString()).matches("[0-9a-f]{16}");
      assertThat(span.get("duration").getAsLong()).isPositive();
      assertThat(span.getAsJsonObject("localEndpoint").get("serviceName").getAsString())
          .isEqualTo("clipper-model-m");
      JsonObject tags = span.getAsJsonObject("tags");
      assertThat(tags.get("clipper.model").getAsString()).isEqualTo("m");
      assertThat(tags.get("clipper.model_version").getAsString()).isEqualTo("3");
      assertThat(tags.get("clipper.batch_size").getAsString()).isEqualTo("2");
      assertThat(tags.has("error")).isFalse();
    }
    assertThat(collector.posts()).extracting(Post::path).containsOnly("/api/v2/spans");
  }

  @Test
  void sendsNoSpanForAnUnsampledOrMalformedTraceparentAndStillPredicts() throws Exception {
    serveToZipkin();
    assertThat(predict(List.of("a"), "00-" + TRACE + "-00f067aa0ba902b7-00", "garbage",
        "00-" + TRACE + "-0000000000000000-01", "00-" + TRACE.substring(1) + "-00f067aa0ba902b7-01")
        .getOutputsList()).containsExactly("a");
    assertThat(predict(List.of("b")).getOutputsList()).containsExactly("b");

    assertThat(zipkinSpans()).isEmpty();
  }

  @Test
  void marksThePredictSpanOfAFailedBatchAsAnError() throws Exception {
    serveToZipkin();
    assertThatThrownBy(() -> predict(List.of("boom"), "00-" + TRACE + "-00f067aa0ba902b7-01"))
        .isInstanceOf(StatusRuntimeException.class);

    JsonObject tags = zipkinSpans().get(0).getAsJsonObject("tags");
    assertThat(tags.get("otel.status_code").getAsString()).isEqualTo("ERROR");
    assertThat(tags.get("error").getAsString()).contains("broken model");
  }

  @Test
  void sendsSpansAsOtlpToTheTracesPath() throws Exception {
    serve(TracingConfig.fromEnvironment(
        Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", collector.uri("/").toString()), "m").orElseThrow());
    predict(List.of("a"), "00-" + TRACE + "-00f067aa0ba902b7-01");
    container.close();

    assertThat(collector.posts()).singleElement().satisfies(post -> {
      assertThat(post.path()).isEqualTo("/v1/traces");
      assertThat(post.contentType()).isEqualTo("application/x-protobuf");
      assertThat(HexFormat.of().formatHex(post.body())).contains(TRACE, "00f067aa0ba902b7");
      assertThat(new String(post.body(), StandardCharsets.ISO_8859_1))
          .contains("predict", "clipper.batch_size", "clipper-model-m");
    });
  }
}
