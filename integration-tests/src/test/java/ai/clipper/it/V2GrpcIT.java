package ai.clipper.it;

import static ai.clipper.it.V2Apps.predicted;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ai.clipper.frontend.v2.grpc.proto.GRPCInferenceServiceGrpc;
import ai.clipper.frontend.v2.grpc.proto.InferParameter;
import ai.clipper.frontend.v2.grpc.proto.InferTensorContents;
import ai.clipper.frontend.v2.grpc.proto.ModelInferRequest;
import ai.clipper.frontend.v2.grpc.proto.ModelInferResponse;
import ai.clipper.frontend.v2.grpc.proto.ModelMetadataRequest;
import ai.clipper.frontend.v2.grpc.proto.ModelMetadataResponse;
import ai.clipper.frontend.v2.grpc.proto.ModelReadyRequest;
import ai.clipper.frontend.v2.grpc.proto.ServerLiveRequest;
import ai.clipper.frontend.v2.grpc.proto.ServerMetadataRequest;
import ai.clipper.frontend.v2.grpc.proto.ServerReadyRequest;
import ai.clipper.metadata.localredis.LocalRedis;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Open Inference Protocol over gRPC against the real stack, through a client generated from
 * the protocol's .proto as a stock client's is: every RPC, ModelInfer with typed contents and
 * with raw_input_contents (answering the same as /{app}/predict), the default answer, the call's
 * deadline shortening the SLO, the status codes, and the standard health service.
 */
class V2GrpcIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final AtomicInteger FRESH = new AtomicInteger(5000);

  @RegisterExtension
  static final ClipperStack stack = ClipperStack.withDefaults();
  private static ManagedChannel channel;
  private static GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub v2;

  @BeforeAll
  static void deployTheV2AppsAndConnect() {
    V2Apps.deploy(stack);
    channel = channel(stack.frontendGrpcPort);
    v2 = GRPCInferenceServiceGrpc.newBlockingStub(channel);
  }

  @AfterAll
  static void disconnect() throws InterruptedException {
    if (channel != null) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private static ManagedChannel channel(int port) {
    return Grpc.newChannelBuilderForAddress("127.0.0.1", port,
        InsecureChannelCredentials.create()).build();
  }

  private static GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub withDeadline() {
    return v2.withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  /** n rows of 10 distinct values. */
  private static List<double[]> rows(int n) {
    int base = FRESH.getAndAdd(n * 10);
    List<double[]> rows = new ArrayList<>();
    for (int r = 0; r < n; r++) {
      double[] row = new double[10];
      for (int c = 0; c < 10; c++) {
        row[c] = (base + r * 10 + c) / 4.0;
      }
      rows.add(row);
    }
    return rows;
  }

  private static String json(double[] row, boolean asInts) {
    List<Object> values = new ArrayList<>();
    for (double v : row) {
      values.add(asInts ? (Object) (int) v : (Object) v);
    }
    return values.toString();
  }

  private static ModelInferRequest.InferInputTensor.Builder input(String datatype, long... shape) {
    ModelInferRequest.InferInputTensor.Builder input = ModelInferRequest.InferInputTensor
        .newBuilder().setName("x").setDatatype(datatype);
    for (long dim : shape) {
      input.addShape(dim);
    }
    return input;
  }

  private static String normalise(String output) {
    try {
      return JSON.readTree(output).toString();
    } catch (Exception notJson) {
      return output;
    }
  }

  /** The output tensor's strings, from typed contents or raw length-prefixed bytes. */
  private static List<String> outputs(ModelInferResponse response) {
    ModelInferResponse.InferOutputTensor output = response.getOutputs(0);
    assertThat(output.getName()).isEqualTo("output");
    assertThat(output.getDatatype()).isEqualTo("BYTES");
    List<String> values = new ArrayList<>();
    if (response.getRawOutputContentsCount() > 0) {
      assertThat(output.hasContents()).isFalse();
      ByteBuffer raw = response.getRawOutputContents(0).asReadOnlyByteBuffer()
          .order(ByteOrder.LITTLE_ENDIAN);
      while (raw.hasRemaining()) {
        byte[] element = new byte[raw.getInt()];
        raw.get(element);
        values.add(new String(element, StandardCharsets.UTF_8));
      }
    } else {
      output.getContents().getBytesContentsList().forEach(v -> values.add(v.toStringUtf8()));
    }
    assertThat(output.getShapeList()).containsExactly((long) values.size());
    return values.stream().map(V2GrpcIT::normalise).toList();
  }

  private static List<Boolean> defaults(ModelInferResponse response) {
    ModelInferResponse.InferOutputTensor flags = response.getOutputs(1);
    assertThat(flags.getName()).isEqualTo("default");
    assertThat(flags.getDatatype()).isEqualTo("BOOL");
    List<Boolean> values = new ArrayList<>();
    if (response.getRawOutputContentsCount() > 0) {
      for (byte b : response.getRawOutputContents(1).toByteArray()) {
        values.add(b != 0);
      }
    } else {
      values.addAll(flags.getContents().getBoolContentsList());
    }
    return values;
  }

  @Test
  void answersTheServerAndModelRpcs() {
    assertThat(withDeadline().serverLive(ServerLiveRequest.getDefaultInstance()).getLive())
        .isTrue();
    assertThat(withDeadline().serverReady(ServerReadyRequest.getDefaultInstance()).getReady())
        .isTrue();
    var server = withDeadline().serverMetadata(ServerMetadataRequest.getDefaultInstance());
    assertThat(server.getName()).isEqualTo("clipper");
    assertThat(server.getExtensionsList()).isEmpty();

    assertThat(withDeadline().modelReady(ModelReadyRequest.newBuilder().setName(V2Apps.SUM)
        .build()).getReady()).isTrue();
    assertThat(withDeadline().modelReady(ModelReadyRequest.newBuilder()
        .setName(V2Apps.UNLINKED).build()).getReady()).isFalse();

    ModelMetadataResponse metadata = withDeadline().modelMetadata(ModelMetadataRequest
        .newBuilder().setName(V2Apps.FLOATS).setVersion("1").build());
    assertThat(metadata.getName()).isEqualTo(V2Apps.FLOATS);
    assertThat(metadata.getVersionsList()).containsExactly("1");
    assertThat(metadata.getPlatform()).isEqualTo("clipper");
    assertThat(metadata.getInputs(0).getDatatype()).isEqualTo("FP32");
    assertThat(metadata.getInputs(0).getShapeList()).containsExactly(-1L, -1L);
    assertThat(metadata.getOutputsList()).extracting(
        ModelMetadataResponse.TensorMetadata::getName).containsExactly("output", "default");
  }

  @Test
  void servesTheStandardHealthService() {
    HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(channel)
        .withDeadlineAfter(30, TimeUnit.SECONDS);
    for (String service : List.of("", "inference.GRPCInferenceService")) {
      assertThat(health.check(HealthCheckRequest.newBuilder().setService(service).build())
          .getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
    }
  }

  @Test
  void answersTypedFp64ContentsAsPredictDoes() {
    List<double[]> rows = rows(4);
    InferTensorContents.Builder contents = InferTensorContents.newBuilder();
    rows.forEach(row -> { for (double v : row) { contents.addFp64Contents(v); } });

    ModelInferResponse response = withDeadline().modelInfer(ModelInferRequest.newBuilder()
        .setModelName(V2Apps.SUM).setId("typed-1")
        .addInputs(input("FP64", 4, 10).setContents(contents)).build());

    assertThat(response.getModelName()).isEqualTo(V2Apps.SUM);
    assertThat(response.getModelVersion()).isEqualTo("1");
    assertThat(response.getId()).isEqualTo("typed-1");
    assertThat(response.getRawOutputContentsCount()).isZero();
    assertThat(outputs(response)).containsExactlyElementsOf(
        predicted(stack, V2Apps.SUM, rows.stream().map(r -> json(r, false)).toList()));
    assertThat(defaults(response)).containsExactly(false, false, false, false);
    assertThat(response.getParametersMap().get("default").getBoolParam()).isFalse();
  }

  @Test
  void answersRawFp64ContentsWithRawOutputs() {
    List<double[]> rows = rows(3);
    ByteBuffer raw = ByteBuffer.allocate(3 * 10 * 8).order(ByteOrder.LITTLE_ENDIAN);
    rows.forEach(row -> { for (double v : row) { raw.putDouble(v); } });

    ModelInferResponse response = withDeadline().modelInfer(ModelInferRequest.newBuilder()
        .setModelName(V2Apps.SUM).addInputs(input("FP64", 3, 10))
        .addRawInputContents(ByteString.copyFrom(raw.array())).build());

    assertThat(response.getRawOutputContentsCount()).isEqualTo(2);
    assertThat(outputs(response)).containsExactlyElementsOf(
        predicted(stack, V2Apps.SUM, rows.stream().map(r -> json(r, false)).toList()));
    assertThat(defaults(response)).containsExactly(false, false, false);
  }

  @Test
  void answersRawFp32ForAFloatsApp() throws Exception {
    List<double[]> rows = rows(2);
    ByteBuffer raw = ByteBuffer.allocate(2 * 10 * 4).order(ByteOrder.LITTLE_ENDIAN);
    rows.forEach(row -> { for (double v : row) { raw.putFloat((float) v); } });

    ModelInferResponse response = withDeadline().modelInfer(ModelInferRequest.newBuilder()
        .setModelName(V2Apps.FLOATS).addInputs(input("FP32", 2, 10))
        .addRawInputContents(ByteString.copyFrom(raw.array())).build());

    List<String> echoed = outputs(response);
    assertThat(echoed).containsExactlyElementsOf(
        predicted(stack, V2Apps.FLOATS, rows.stream().map(r -> json(r, false)).toList()));
    assertThat(JSON.readTree(echoed.get(1)).get(9).asDouble()).isEqualTo(rows.get(1)[9]);
  }

  @Test
  void answersTypedAndRawInt32ForAnIntsApp() {
    List<double[]> rows = rows(3);
    InferTensorContents.Builder contents = InferTensorContents.newBuilder();
    ByteBuffer raw = ByteBuffer.allocate(3 * 10 * 4).order(ByteOrder.LITTLE_ENDIAN);
    rows.forEach(row -> {
      for (double v : row) {
        contents.addIntContents((int) v);
        raw.putInt((int) v);
      }
    });
    List<String> expected = predicted(stack, V2Apps.INTS,
        rows.stream().map(r -> json(r, true)).toList());

    ModelInferResponse typed = withDeadline().modelInfer(ModelInferRequest.newBuilder()
        .setModelName(V2Apps.INTS).addInputs(input("INT32", 3, 10).setContents(contents))
        .build());
    ModelInferResponse rawAnswer = withDeadline().modelInfer(ModelInferRequest.newBuilder()
        .setModelName(V2Apps.INTS).addInputs(input("INT32", 3, 10))
        .addRawInputContents(ByteString.copyFrom(raw.array())).build());

    assertThat(outputs(typed)).containsExactlyElementsOf(expected);
    assertThat(outputs(rawAnswer)).containsExactlyElementsOf(expected);
  }

  @Test
  void answersBytesForAStringsAppTypedAndRaw() {
    int n = FRESH.getAndIncrement();
    List<String> strings = List.of("grpc héllo " + n, "second " + n);
    InferTensorContents.Builder contents = InferTensorContents.newBuilder();
    ByteBuffer raw = ByteBuffer.allocate(256).order(ByteOrder.LITTLE_ENDIAN);
    for (String s : strings) {
      byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
      contents.addBytesContents(ByteString.copyFrom(utf8));
      raw.putInt(utf8.length).put(utf8);
    }

    ModelInferResponse typed = withDeadline().modelInfer(ModelInferRequest.newBuilder()
        .setModelName(V2Apps.STRINGS).addInputs(input("BYTES", 2).setContents(contents))
        .build());
    ModelInferResponse rawAnswer = withDeadline().modelInfer(ModelInferRequest.newBuilder()
        .setModelName(V2Apps.STRINGS).addInputs(input("BYTES", 2, 1))
        .addRawInputContents(ByteString.copyFrom(raw.array(), 0, raw.position())).build());

    assertThat(outputs(typed)).containsExactlyElementsOf(strings);
    assertThat(outputs(rawAnswer)).containsExactlyElementsOf(strings);
    assertThat(outputs(typed)).containsExactlyElementsOf(predicted(stack, V2Apps.STRINGS,
        strings.stream().map(s -> JSON.valueToTree(s).toString()).toList()));
  }

  private static ModelInferRequest oneRow(String app) {
    return ModelInferRequest.newBuilder().setModelName(app)
        .addInputs(input("FP64", 1, 2).setContents(InferTensorContents.newBuilder()
            .addFp64Contents(FRESH.getAndIncrement()).addFp64Contents(3)))
        .build();
  }

  @Test
  void callsWithDeadlinesSharingBatchesAllGetTheModelsAnswer() throws Exception {
    // Each call's deadline and cancellation belong to it: the batch its query joins, sent on
    // some other call's thread, must not end when that call does.
    var pool = java.util.concurrent.Executors.newFixedThreadPool(8);
    try {
      List<java.util.concurrent.Future<List<Boolean>>> calls = new ArrayList<>();
      for (int i = 0; i < 400; i++) {
        calls.add(pool.submit(() -> defaults(withDeadline().modelInfer(oneRow(V2Apps.SUM)))));
      }
      for (var call : calls) {
        assertThat(call.get(60, TimeUnit.SECONDS)).containsExactly(false);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void answersTheDefaultFlaggedWhenTheSloPassesFirst() {
    await().atMost(Duration.ofSeconds(60)).until(() -> stack.upReplicas("slow", "1") == 1);

    ModelInferResponse response = withDeadline().modelInfer(oneRow(V2Apps.SLOW));

    assertThat(outputs(response)).containsExactly("-1");
    assertThat(defaults(response)).containsExactly(true);
    assertThat(response.getParametersMap().get("default").getBoolParam()).isTrue();
    assertThat(response.getParametersMap().get("default_explanation").getStringParam())
        .isEqualTo(V2Apps.SLO_MISSED);
  }

  @Test
  void theCallsDeadlineAndTheTimeoutParameterShortenTheSlo() {
    // The model takes 1 s; the app's SLO is 5 s: without either bound the model answers.
    assertThat(defaults(withDeadline().modelInfer(oneRow(V2Apps.SLOW_LONG_SLO))))
        .containsExactly(false);

    ModelInferResponse byDeadline = v2.withDeadlineAfter(600, TimeUnit.MILLISECONDS)
        .modelInfer(oneRow(V2Apps.SLOW_LONG_SLO));
    assertThat(defaults(byDeadline)).containsExactly(true);

    ModelInferResponse byTimeout = withDeadline().modelInfer(oneRow(V2Apps.SLOW_LONG_SLO)
        .toBuilder().putParameters("timeout",
            InferParameter.newBuilder().setInt64Param(200_000).build()).build());
    assertThat(defaults(byTimeout)).containsExactly(true);
    assertThat(byTimeout.getParametersMap().get("default_explanation").getStringParam())
        .isEqualTo(V2Apps.SLO_MISSED);
  }

  private static Status.Code codeOf(ModelInferRequest request) {
    try {
      withDeadline().modelInfer(request);
      return Status.Code.OK;
    } catch (StatusRuntimeException e) {
      return e.getStatus().getCode();
    }
  }

  @Test
  void mapsEveryErrorToItsStatusCode() {
    ModelInferRequest good = oneRow(V2Apps.SUM);
    assertThat(codeOf(good.toBuilder().setModelName("nope").build()))
        .isEqualTo(Status.Code.NOT_FOUND);
    assertThat(codeOf(good.toBuilder().setModelVersion("9").build()))
        .isEqualTo(Status.Code.NOT_FOUND);
    assertThat(codeOf(good.toBuilder().setInputs(0, input("BYTES", 1).setContents(
        InferTensorContents.newBuilder().addBytesContents(ByteString.copyFromUtf8("a"))))
        .build())).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(codeOf(good.toBuilder().setInputs(0, input("FP64", 2, 2).setContents(
        InferTensorContents.newBuilder().addFp64Contents(1))).build()))
        .isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(codeOf(good.toBuilder().addRawInputContents(ByteString.copyFrom(new byte[16]))
        .build())).as("raw contents beside typed ones").isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(codeOf(good.toBuilder().putParameters("uid",
        InferParameter.newBuilder().setStringParam("me").build()).build()))
        .isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThatThrownBy(() -> withDeadline().modelMetadata(ModelMetadataRequest.newBuilder()
        .setName("nope").build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
          assertThat(e.getStatus().getDescription()).isEqualTo("unknown model: nope");
        });
    assertThat(codeOf(good)).isEqualTo(Status.Code.OK);  // still serving
  }

  @Test
  void answersUnavailableWithRetryAfterWhenTheModelsQueueIsFull() throws Exception {
    int grpcPort = LocalRedis.freePort();
    try (ServiceProcess small = stack.startFrontend(grpcPort,
        "--clipper.frontend.batching.max-queued-per-model=1")) {
      ManagedChannel smallChannel = channel(grpcPort);
      try {
        var smallV2 = GRPCInferenceServiceGrpc.newBlockingStub(smallChannel);
        await().atMost(Duration.ofSeconds(10)).until(() -> smallV2
            .withDeadlineAfter(10, TimeUnit.SECONDS).modelInfer(oneRow(V2Apps.SLOW))
            .getParametersMap().get("default_explanation").getStringParam()
            .equals(V2Apps.SLO_MISSED));
        InferTensorContents.Builder twenty = InferTensorContents.newBuilder();
        for (int i = 0; i < 20; i++) {
          twenty.addFp64Contents(FRESH.getAndIncrement());
        }

        assertThatThrownBy(() -> smallV2.withDeadlineAfter(10, TimeUnit.SECONDS).modelInfer(
            ModelInferRequest.newBuilder().setModelName(V2Apps.SLOW_LONG_SLO)
                .addInputs(input("FP64", 20, 1).setContents(twenty)).build()))
            .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
              assertThat(e.getTrailers().get(Metadata.Key.of("retry-after",
                  Metadata.ASCII_STRING_MARSHALLER))).isEqualTo("1");
            });
      } finally {
        smallChannel.shutdownNow();
      }
    }
  }
}
