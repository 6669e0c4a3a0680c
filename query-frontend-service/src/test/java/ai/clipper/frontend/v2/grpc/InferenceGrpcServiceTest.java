package ai.clipper.frontend.v2.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import ai.clipper.frontend.MetadataWriter;
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
import ai.clipper.frontend.v2.grpc.proto.ServerMetadataResponse;
import ai.clipper.frontend.v2.grpc.proto.ServerReadyRequest;
import ai.clipper.metadata.App;
import ai.clipper.metadata.Model;
import ai.clipper.metadata.ModelId;
import ai.clipper.metadata.Replica;
import ai.clipper.metadata.localredis.LocalRedis;
import ai.clipper.sdk.ContainerConfig;
import ai.clipper.sdk.InputType;
import ai.clipper.sdk.ModelContainer;
import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The V2 gRPC service's answers and statuses, called through an in-process server: the frontend
 * around it is the real one, on a real Redis, and the model replica an SDK container that sums
 * each row.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = {
    "clipper.frontend.warm-up.duration=0s", "clipper.frontend.v2.grpc-port=0"})
class InferenceGrpcServiceTest {

  private static final LocalRedis REDIS = LocalRedis.start();
  private static final ModelId SUM_1 = new ModelId("sum", "1");
  private static ModelContainer sum;

  @Autowired
  private InferenceGrpcService service;

  private Server server;
  private ManagedChannel channel;
  private GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub stub;

  @DynamicPropertySource
  static void redis(DynamicPropertyRegistry properties) {
    properties.add("spring.data.redis.port", REDIS::port);
  }

  @BeforeAll
  static void deploy() throws IOException {
    sum = ModelContainer.start((List<double[]> rows) -> rows.stream()
            .map(row -> String.valueOf(Arrays.stream(row).sum())).toList(),
        new ContainerConfig("sum", "1", InputType.DOUBLES, 0, "127.0.0.1", Optional.empty(),
            Optional.empty()));
    try (MetadataWriter metadata = new MetadataWriter(REDIS.port())) {
      metadata.addApp(new App("adder", InputType.DOUBLES, "-1", 10_000_000, "single", true))
          .link("adder", "sum")
          .setCurrentVersion("sum", "1")
          .addModel(new Model(SUM_1, InputType.DOUBLES, List.of(), Model.NO_CONTAINER, "", -1,
              0, 0, Map.of()))
          .addReplica(new Replica(SUM_1, 0, "127.0.0.1", sum.port(), InputType.DOUBLES,
              Replica.Status.UP))
          .addApp(new App("unlinked", InputType.DOUBLES, "-1", 10_000_000, "single", true))
          .publish();
    }
  }

  @AfterAll
  static void stopAll() {
    sum.close();
    REDIS.close();
  }

  @BeforeEach
  void startInProcessServer() throws IOException {
    String name = InProcessServerBuilder.generateName();
    server = InProcessServerBuilder.forName(name).directExecutor().addService(service).build()
        .start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    stub = GRPCInferenceServiceGrpc.newBlockingStub(channel);
  }

  @AfterEach
  void stopInProcessServer() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  @Test
  void modelInferAnswersEachRowsOutputAndThatNoneIsADefault() {
    ModelInferResponse response = infer(request("adder", fp64(2, 3, 1, 2, 3, 4, 5, 6))
        .setId("request-7").build());

    assertThat(response.getModelName()).isEqualTo("adder");
    assertThat(response.getModelVersion()).isEqualTo("1");
    assertThat(response.getId()).isEqualTo("request-7");
    assertThat(response.getOutputsList()).extracting(ModelInferResponse.InferOutputTensor::getName)
        .containsExactly("output", "default");
    assertThat(outputs(response)).containsExactly("6.0", "15.0");
    assertThat(response.getOutputs(0).getShapeList()).containsExactly(2L);
    assertThat(response.getOutputs(1).getContents().getBoolContentsList())
        .containsExactly(false, false);
    assertThat(response.getParametersMap().get("default").getBoolParam()).isFalse();
  }

  @Test
  void modelInferAnswersOnlyTheOutputsAskedFor() {
    ModelInferResponse response = infer(request("adder", fp64(1, 2, 20, 22))
        .addOutputs(ModelInferRequest.InferRequestedOutputTensor.newBuilder().setName("output"))
        .build());

    assertThat(response.getOutputsList()).singleElement()
        .extracting(ModelInferResponse.InferOutputTensor::getName).isEqualTo("output");
    assertThat(outputs(response)).containsExactly("42.0");
  }

  @Test
  void anUnknownModelIsNotFound() {
    StatusRuntimeException failure = inferFailure(request("nope", fp64(1, 1, 1)).build());

    assertThat(failure.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(failure.getStatus().getDescription()).contains("nope");
  }

  @Test
  void aVersionTheModelDoesNotHaveIsNotFound() {
    StatusRuntimeException failure = inferFailure(request("adder", fp64(1, 1, 1))
        .setModelVersion("9").build());

    assertThat(failure.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(failure.getStatus().getDescription()).contains("9");
  }

  @Test
  void aTensorWhoseContentsDoNotFillItsShapeIsAnInvalidArgument() {
    StatusRuntimeException failure = inferFailure(request("adder", fp64(2, 3, 1, 2, 3, 4, 5))
        .build());

    assertThat(failure.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
  }

  @Test
  void aDatatypeTheAppDoesNotTakeIsAnInvalidArgumentNamingTheOnesItDoes() {
    ModelInferRequest.InferInputTensor.Builder strings = ModelInferRequest.InferInputTensor
        .newBuilder().setName("input").setDatatype("BYTES").addShape(1)
        .setContents(InferTensorContents.newBuilder()
            .addBytesContents(ByteString.copyFromUtf8("three")));

    StatusRuntimeException failure = inferFailure(request("adder", strings).build());

    assertThat(failure.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(failure.getStatus().getDescription()).contains("FP64");
  }

  @Test
  void rawContentsThatDoNotMatchTheInputsAreAnInvalidArgument() {
    StatusRuntimeException failure = inferFailure(request("adder", fp64(1, 1, 1))
        .addRawInputContents(ByteString.copyFrom(new byte[8]))
        .addRawInputContents(ByteString.copyFrom(new byte[8])).build());

    assertThat(failure.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(failure.getStatus().getDescription())
        .isEqualTo("raw_input_contents has 2 entries for 1 inputs");
  }

  @Test
  void aParameterOfTheWrongTypeIsAnInvalidArgument() {
    StatusRuntimeException failure = inferFailure(request("adder", fp64(1, 1, 1))
        .putParameters("timing", InferParameter.newBuilder().setStringParam("yes").build())
        .build());

    assertThat(failure.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(failure.getStatus().getDescription()).contains("timing");
  }

  @Test
  void theServerIsLiveAndReady() {
    assertThat(stub.serverLive(ServerLiveRequest.getDefaultInstance()).getLive()).isTrue();
    assertThat(stub.serverReady(ServerReadyRequest.getDefaultInstance()).getReady()).isTrue();
  }

  @Test
  void aModelIsReadyWhenItsLinkedModelHasAnUpReplicaAndUnknownOnesAreNotFound() {
    assertThat(stub.modelReady(ModelReadyRequest.newBuilder().setName("adder").build())
        .getReady()).isTrue();
    assertThat(stub.modelReady(ModelReadyRequest.newBuilder().setName("adder").setVersion("1")
        .build()).getReady()).isTrue();
    assertThat(stub.modelReady(ModelReadyRequest.newBuilder().setName("unlinked").build())
        .getReady()).isFalse();

    StatusRuntimeException unknown = catchThrowableOfType(StatusRuntimeException.class,
        () -> stub.modelReady(ModelReadyRequest.newBuilder().setName("nope").build()));
    assertThat(unknown.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
  }

  @Test
  void serverMetadataNamesClipperAndNoExtensions() {
    ServerMetadataResponse metadata = stub.serverMetadata(
        ServerMetadataRequest.getDefaultInstance());

    assertThat(metadata.getName()).isEqualTo("clipper");
    assertThat(metadata.getVersion()).isNotEmpty();
    assertThat(metadata.getExtensionsList()).isEmpty();
  }

  @Test
  void modelMetadataDescribesTheAppsVersionsInputAndOutputs() {
    ModelMetadataResponse metadata = stub.modelMetadata(ModelMetadataRequest.newBuilder()
        .setName("adder").build());

    assertThat(metadata.getName()).isEqualTo("adder");
    assertThat(metadata.getVersionsList()).containsExactly("1");
    assertThat(metadata.getPlatform()).isEqualTo("clipper");
    assertThat(metadata.getInputsList()).singleElement().satisfies(input -> {
      assertThat(input.getDatatype()).isEqualTo("FP64");
      assertThat(input.getShapeList()).containsExactly(-1L, -1L);
    });
    assertThat(metadata.getOutputsList())
        .extracting(ModelMetadataResponse.TensorMetadata::getName,
            ModelMetadataResponse.TensorMetadata::getDatatype)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("output", "BYTES"),
            org.assertj.core.groups.Tuple.tuple("default", "BOOL"));
  }

  @Test
  void modelMetadataOfAnUnknownModelIsNotFound() {
    StatusRuntimeException unknown = catchThrowableOfType(StatusRuntimeException.class,
        () -> stub.modelMetadata(ModelMetadataRequest.newBuilder().setName("nope").build()));

    assertThat(unknown.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
  }

  private ModelInferResponse infer(ModelInferRequest request) {
    return stub.withDeadlineAfter(10, TimeUnit.SECONDS).modelInfer(request);
  }

  private StatusRuntimeException inferFailure(ModelInferRequest request) {
    StatusRuntimeException failure = catchThrowableOfType(StatusRuntimeException.class,
        () -> infer(request));
    assertThat(failure).as("a failed call").isNotNull();
    return failure;
  }

  private static ModelInferRequest.Builder request(String model,
      ModelInferRequest.InferInputTensor.Builder input) {
    return ModelInferRequest.newBuilder().setModelName(model).addInputs(input);
  }

  /** An FP64 tensor of {@code rows} x {@code columns} with {@code values} as its contents. */
  private static ModelInferRequest.InferInputTensor.Builder fp64(int rows, int columns,
      double... values) {
    InferTensorContents.Builder contents = InferTensorContents.newBuilder();
    Arrays.stream(values).forEach(contents::addFp64Contents);
    return ModelInferRequest.InferInputTensor.newBuilder().setName("input").setDatatype("FP64")
        .addShape(rows).addShape(columns).setContents(contents);
  }

  private static List<String> outputs(ModelInferResponse response) {
    return response.getOutputs(0).getContents().getBytesContentsList().stream()
        .map(ByteString::toStringUtf8).toList();
  }
}
