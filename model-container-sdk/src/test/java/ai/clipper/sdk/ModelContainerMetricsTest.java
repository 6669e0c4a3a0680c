package ai.clipper.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.clipper.sdk.proto.ModelContainerGrpc;
import ai.clipper.sdk.wire.BatchCodec;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ModelContainerMetricsTest {

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Test
  void servesCountsAndHistogramsOfTheBatchesItPredictedOnTheMetricsPort() throws Exception {
    Model<String> echo = inputs -> {
      if (inputs.contains("boom")) {
        throw new IllegalStateException("broken model");
      }
      return inputs;
    };
    int metricsPort = freePort();
    try (ModelContainer container = ModelContainer.start(echo, new ContainerConfig("m", "3",
        InputType.STRINGS, 0, "127.0.0.1", Optional.empty(), Optional.empty())
        .withMetricsPort(metricsPort))) {
      ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", container.port())
          .usePlaintext().build();
      try {
        var stub = ModelContainerGrpc.newBlockingStub(channel);
        stub.predict(BatchCodec.encode(InputType.STRINGS, List.of("a")));
        stub.predict(BatchCodec.encode(InputType.STRINGS, List.of("a", "b", "c")));
        assertThatThrownBy(() -> stub.predict(BatchCodec.encode(InputType.STRINGS,
            List.of("boom", "x"))));
        assertThatThrownBy(() -> stub.predict(BatchCodec.encode(InputType.DOUBLES,
            List.of(new double[] {1}))));
      } finally {
        channel.shutdownNow();
      }

      String text = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + metricsPort + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString()).body();

      String labels = "model=\"m\",version=\"3\"";
      assertThat(text.lines()).contains(
          "clipper_container_predictions_total{" + labels + "} 4.0",
          "clipper_container_batches_total{model=\"m\",outcome=\"ok\",version=\"3\"} 2.0",
          "clipper_container_batches_total{model=\"m\",outcome=\"error\",version=\"3\"} 2.0",
          "clipper_container_predict_seconds_count{" + labels + "} 3",
          "clipper_container_predict_seconds_bucket{" + labels + ",le=\"+Inf\"} 3",
          "clipper_container_batch_size_bucket{" + labels + ",le=\"1.0\"} 1",
          "clipper_container_batch_size_bucket{" + labels + ",le=\"2.0\"} 2",
          "clipper_container_batch_size_bucket{" + labels + ",le=\"4.0\"} 3",
          "clipper_container_batch_size_bucket{" + labels + ",le=\"1024.0\"} 3",
          "clipper_container_batch_size_sum{" + labels + "} 6.0");
      assertThat(text).contains("clipper_container_predict_seconds_bucket{" + labels
          + ",le=\"5.0E-4\"}", "clipper_container_predict_seconds_bucket{" + labels
          + ",le=\"10.0\"}");
    }
  }
}
