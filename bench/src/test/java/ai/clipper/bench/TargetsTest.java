package ai.clipper.bench;

import static org.assertj.core.api.Assertions.assertThat;

import ai.clipper.sdk.proto.ModelContainerGrpc;
import ai.clipper.sdk.proto.PredictRequest;
import ai.clipper.sdk.proto.PredictResponse;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What the targets send and how they read answers. */
class TargetsTest {

  @Test
  void freshInputsDifferPerQueryAndSameInputsDoNot() {
    Inputs fresh = Inputs.fresh(0.123);
    assertThat(fresh.values(1)).hasSize(10).isNotEqualTo(fresh.values(2));
    assertThat(fresh.values(7)).isNotEqualTo(Inputs.fresh(0.456).values(7));
    assertThat(Inputs.same().values(1)).isEqualTo(Inputs.same().values(2));
    assertThat(Inputs.same().json(1)).isEqualTo(Inputs.same().json(99))
        .startsWith("{\"input\":[").endsWith("]}");
  }

  @Test
  void classifiesAnswersLikeAUser() {
    assertThat(HttpTarget.classify(200, false,
        "{\"query_id\":1,\"output\":3,\"default\":false}")).isEqualTo(Outcome.OK);
    assertThat(HttpTarget.classify(200, false, "{\"query_id\":1,\"output\":-1,\"default\":true,"
        + "\"default_explanation\":\"Failed to retrieve a prediction response within the "
        + "specified latency SLO\"}")).isEqualTo(Outcome.DEFAULT);
    assertThat(HttpTarget.classify(200, false,
        "{\"query_id\": 1, \"output\": -1, \"default\": true}")).isEqualTo(Outcome.DEFAULT);
  }

  @Test
  void countsA503WithRetryAfterAsARejectionAndAnyOtherAsAnError() {
    assertThat(HttpTarget.classify(503, true, "{\"error\":\"overloaded\"}"))
        .isEqualTo(Outcome.REJECTED);
    assertThat(HttpTarget.classify(503, false, "{\"error\":\"overloaded\"}"))
        .isEqualTo(Outcome.NON_200);
    assertThat(HttpTarget.classify(500, true, "{\"error\":\"boom\"}")).isEqualTo(Outcome.NON_200);
  }

  @Test
  void grpcTargetSendsOneInputPerBatch() throws Exception {
    List<PredictRequest> received = new CopyOnWriteArrayList<>();
    String name = InProcessServerBuilder.generateName();
    Server server = InProcessServerBuilder.forName(name).directExecutor()
        .addService(new ModelContainerGrpc.ModelContainerImplBase() {
          @Override
          public void predict(PredictRequest request, StreamObserver<PredictResponse> answer) {
            received.add(request);
            answer.onNext(PredictResponse.newBuilder().addOutputs("0").build());
            answer.onCompleted();
          }
        }).build().start();
    ManagedChannel channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    try (GrpcTarget target = new GrpcTarget(channel, Inputs.fresh(0.5), Duration.ofSeconds(5))) {
      CompletableFuture<Outcome> outcome = new CompletableFuture<>();
      target.send(3, outcome::complete);

      assertThat(outcome.get(5, TimeUnit.SECONDS)).isEqualTo(Outcome.OK);
      assertThat(received).singleElement().satisfies(request -> {
        assertThat(request.getDoubles().getLengthsList()).containsExactly(10);
        assertThat(request.getDoubles().getValues(1)).isEqualTo(3.0);
      });
    } finally {
      server.shutdownNow();
    }
  }
}
