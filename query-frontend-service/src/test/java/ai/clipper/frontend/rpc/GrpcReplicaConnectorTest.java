package ai.clipper.frontend.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import ai.clipper.frontend.batching.BatchAnswer;
import ai.clipper.frontend.batching.BatchSender;
import ai.clipper.frontend.config.FrontendProperties;
import ai.clipper.frontend.input.QueryInput;
import ai.clipper.metadata.ModelId;
import ai.clipper.metadata.Replica;
import ai.clipper.sdk.ContainerConfig;
import ai.clipper.sdk.InputType;
import ai.clipper.sdk.Model;
import ai.clipper.sdk.ModelContainer;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.StandardEnvironment;
import reactor.netty.resources.LoopResources;

/** Batches to a real model container, sent from an HTTP server's event loop and from elsewhere. */
class GrpcReplicaConnectorTest {

  private static final Model<double[]> SUM =
      inputs -> inputs.stream().map(x -> String.valueOf(Arrays.stream(x).sum())).toList();

  private static ModelContainer container;
  private static LoopResources httpLoops;
  private static GrpcReplicaConnector connector;
  private static BatchSender sender;

  @BeforeAll
  static void start() throws Exception {
    container = ModelContainer.start(SUM, new ContainerConfig("sum", "1", InputType.DOUBLES, 0,
        "127.0.0.1", Optional.empty(), Optional.empty()));
    httpLoops = LoopResources.create("test-http", 2, true);
    FrontendProperties defaults = Binder.get(new StandardEnvironment())
        .bindOrCreate("clipper.frontend", FrontendProperties.class);
    connector = new GrpcReplicaConnector(defaults, Clock.systemUTC());
    sender = connector.connect(new Replica(new ModelId("sum", "1"), 0, "127.0.0.1",
        container.port(), InputType.DOUBLES, Replica.Status.UP));
  }

  @AfterAll
  static void stop() {
    sender.close();
    connector.destroy();
    container.close();
    httpLoops.dispose();
  }

  @Test
  void aBatchSentFromAnHttpLoopIsAnsweredOnTheReplicaLoopSoTheHttpLoopNeverReadsIt()
      throws Exception {
    CompletableFuture<Thread> answeredOn = new CompletableFuture<>();
    CompletableFuture<List<String>> outputs = new CompletableFuture<>();
    httpLoops.onServer(true).next().execute(() -> send(1, 2, 3).whenComplete((answer, error) -> {
      answeredOn.complete(Thread.currentThread());
      if (error == null) {
        outputs.complete(answer);
      } else {
        outputs.completeExceptionally(error);
      }
    }));
    assertThat(outputs.get(10, TimeUnit.SECONDS)).containsExactly("6.0");
    assertThat(answeredOn.get().getName()).startsWith("clipper-replica");
  }

  @Test
  void aBatchSentFromAnyOtherThreadIsAnsweredToo() throws Exception {
    for (int i = 0; i < 6; i++) {
      assertThat(send(i, 1).get(10, TimeUnit.SECONDS)).containsExactly(i + 1 + ".0");
    }
  }

  @Test
  void anAnswerCarriesTheModelsOwnTimeApartFromTheRoundTrip() throws Exception {
    BatchAnswer answer = sender.send(InputType.DOUBLES, List.of(new QueryInput.Doubles(new double[] {1})),
        Instant.now().plusSeconds(10), List.of()).get(10, TimeUnit.SECONDS);
    assertThat(answer.computeNanos()).isPositive();
  }

  private static CompletableFuture<List<String>> send(double... input) {
    return sender.send(InputType.DOUBLES, List.of(new QueryInput.Doubles(input)), Instant.now().plusSeconds(10), List.of())
        .thenApply(BatchAnswer::outputs);
  }
}
