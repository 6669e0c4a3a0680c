package ai.clipper.bench;

import static org.assertj.core.api.Assertions.assertThat;

import ai.clipper.frontend.v2.grpc.proto.GRPCInferenceServiceGrpc;
import ai.clipper.frontend.v2.grpc.proto.InferParameter;
import ai.clipper.frontend.v2.grpc.proto.InferTensorContents;
import ai.clipper.frontend.v2.grpc.proto.ModelInferRequest;
import ai.clipper.frontend.v2.grpc.proto.ModelInferResponse;
import ai.clipper.metadata.localredis.LocalRedis;
import com.google.protobuf.ByteString;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/** What the Open Inference Protocol targets send, and how they count the frontend's answers. */
class V2TargetsTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  private static final Inputs INPUTS = Inputs.fresh(0.5);

  /** The frontend's V2 REST answers (docs/open-inference-protocol.md's session), by the query number that gets them. */
  private static final Map<Long, String> REST_ANSWERS = Map.of(
      1L, "{\"model_name\":\"noop\",\"model_version\":\"1\",\"parameters\":{\"default\":false},"
          + "\"outputs\":[{\"name\":\"output\",\"datatype\":\"BYTES\",\"shape\":[1],\"data\":[\"6\"]},"
          + "{\"name\":\"default\",\"datatype\":\"BOOL\",\"shape\":[1],\"data\":[false]}]}",
      2L, "{\"model_name\":\"noop\",\"parameters\":{\"default\":true,\"default_explanation\":"
          + "\"Failed to retrieve a prediction response within the specified latency SLO\"},"
          + "\"outputs\":[{\"name\":\"output\",\"datatype\":\"BYTES\",\"shape\":[1],\"data\":[\"-1\"]},"
          + "{\"name\":\"default\",\"datatype\":\"BOOL\",\"shape\":[1],\"data\":[true]}]}");

  private static final Pattern SEQ = Pattern.compile("\"data\":\\[[^,]+,([0-9.]+),");

  @Test
  void restBodyIsOneFp64RowOfTheSameValuesAsPredict() {
    assertThat(INPUTS.v2Json(3)).isEqualTo("{\"inputs\":[{\"name\":\"input\",\"shape\":[1,10],"
        + "\"datatype\":\"FP64\",\"data\":[0.5,3.0,0.5,0.75,1.0,1.25,1.5,1.75,2.0,2.25]}]}");
    assertThat(INPUTS.json(3)).isEqualTo("{\"input\":[0.5,3.0,0.5,0.75,1.0,1.25,1.5,1.75,2.0,2.25]}");
  }

  @Test
  void restTargetCountsModelAnswersDefaultsShedQueriesAndErrorStatuses() throws Exception {
    List<String> received = new CopyOnWriteArrayList<>();
    DisposableServer server = HttpServer.create().host("127.0.0.1").port(0)
        .route(routes -> routes.post("/v2/models/noop/infer", (request, response) ->
            request.receive().aggregate().asString().flatMap(body -> {
              received.add(body);
              Matcher seq = SEQ.matcher(body);
              long n = seq.find() ? (long) Double.parseDouble(seq.group(1)) : -1;
              String answer = REST_ANSWERS.get(n);
              if (answer != null) {
                return response.header("Content-Type", "application/json")
                    .sendString(Mono.just(answer)).then();
              }
              // 3: a full queue (503 with Retry-After); 4: a 503 without it; else a bad request
              response.status(n == 3 || n == 4 ? 503 : 400);
              if (n == 3) {
                response.header("Retry-After", "1");
              }
              return response.sendString(Mono.just("{\"error\":\"no\"}")).then();
            })))
        .bindNow();
    URI infer = URI.create("http://127.0.0.1:" + server.port() + "/v2/models/noop/infer");
    try (Target target = new HttpTarget(infer, 1, INPUTS::v2Json, TIMEOUT)) {
      assertThat(outcome(target, 1)).isEqualTo(Outcome.OK);
      assertThat(outcome(target, 2)).isEqualTo(Outcome.DEFAULT);
      assertThat(outcome(target, 3)).isEqualTo(Outcome.REJECTED);
      assertThat(outcome(target, 4)).isEqualTo(Outcome.NON_200);
      assertThat(outcome(target, 5)).isEqualTo(Outcome.NON_200);
      assertThat(received.get(0)).isEqualTo(INPUTS.v2Json(1));
    } finally {
      server.disposeNow();
    }
  }

  /** Answers by the query number (the second value): as the frontend's V2 gRPC service would. */
  private static final class Frontend
      extends GRPCInferenceServiceGrpc.GRPCInferenceServiceImplBase {
    final List<ModelInferRequest> received = new CopyOnWriteArrayList<>();
    final List<Deadline> deadlines = new CopyOnWriteArrayList<>();

    @Override
    public void modelInfer(ModelInferRequest request, StreamObserver<ModelInferResponse> answer) {
      received.add(request);
      deadlines.add(Context.current().getDeadline());
      long n = (long) request.getInputs(0).getContents().getFp64Contents(1);
      Metadata trailers = new Metadata();
      switch ((int) n) {
        case 1, 2 -> {
          answer.onNext(response(n == 2));
          answer.onCompleted();
        }
        case 3 -> {
          trailers.put(V2GrpcTarget.RETRY_AFTER, "1");
          answer.onError(Status.UNAVAILABLE.withDescription("queue full")
              .asRuntimeException(trailers));
        }
        case 4 -> answer.onError(Status.UNAVAILABLE.asRuntimeException());
        default -> answer.onError(Status.INVALID_ARGUMENT.asRuntimeException());
      }
    }

    private static ModelInferResponse response(boolean isDefault) {
      return ModelInferResponse.newBuilder().setModelName("noop")
          .putParameters("default", InferParameter.newBuilder().setBoolParam(isDefault).build())
          .addOutputs(ModelInferResponse.InferOutputTensor.newBuilder().setName("output")
              .setDatatype("BYTES").addShape(1).setContents(InferTensorContents.newBuilder()
                  .addBytesContents(ByteString.copyFromUtf8(isDefault ? "-1" : "6"))))
          .addOutputs(ModelInferResponse.InferOutputTensor.newBuilder().setName("default")
              .setDatatype("BOOL").addShape(1).setContents(InferTensorContents.newBuilder()
                  .addBoolContents(isDefault)))
          .build();
    }
  }

  @Test
  void grpcTargetSendsTypedFp64WithinTheTimeoutAndCountsStatusesLikeRest() throws Exception {
    Frontend frontend = new Frontend();
    String name = InProcessServerBuilder.generateName();
    Server server = InProcessServerBuilder.forName(name).directExecutor().addService(frontend)
        .build().start();
    ManagedChannel channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    try (Target target = new V2GrpcTarget(channel, "noop", INPUTS, TIMEOUT)) {
      assertThat(outcome(target, 1)).isEqualTo(Outcome.OK);
      assertThat(outcome(target, 2)).isEqualTo(Outcome.DEFAULT);
      assertThat(outcome(target, 3)).isEqualTo(Outcome.REJECTED);
      assertThat(outcome(target, 4)).isEqualTo(Outcome.ERROR);
      assertThat(outcome(target, 5)).isEqualTo(Outcome.NON_200);

      assertThat(frontend.received.get(0)).satisfies(request -> {
        assertThat(request.getModelName()).isEqualTo("noop");
        ModelInferRequest.InferInputTensor input = request.getInputs(0);
        assertThat(input.getName()).isEqualTo("input");
        assertThat(input.getDatatype()).isEqualTo("FP64");
        assertThat(input.getShapeList()).containsExactly(1L, 10L);
        assertThat(input.getContents().getFp64ContentsList())
            .containsExactly(Arrays.stream(INPUTS.values(1)).boxed().toArray(Double[]::new));
      });
      assertThat(frontend.deadlines).allSatisfy(deadline -> assertThat(deadline).isNotNull()
          .satisfies(d -> assertThat(d.timeRemaining(TimeUnit.MILLISECONDS))
              .isLessThanOrEqualTo(TIMEOUT.toMillis())));
    } finally {
      server.shutdownNow();
    }
  }

  @Test
  void grpcTargetCountsARefusedConnectionAsAnErrorNotARejection() throws Exception {
    try (Target target = V2GrpcTarget.connect("127.0.0.1:" + LocalRedis.freePort(), "noop",
        INPUTS, Duration.ofSeconds(2))) {
      assertThat(outcome(target, 1)).isEqualTo(Outcome.ERROR);
    }
  }

  private static Outcome outcome(Target target, long seq) throws Exception {
    CompletableFuture<Outcome> outcome = new CompletableFuture<>();
    target.send(seq, outcome::complete);
    return outcome.get(10, TimeUnit.SECONDS);
  }
}
