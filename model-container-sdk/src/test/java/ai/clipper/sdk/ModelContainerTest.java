package ai.clipper.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.clipper.sdk.wire.BatchCodec;
import ai.clipper.sdk.proto.MetadataRequest;
import ai.clipper.sdk.proto.ModelContainerGrpc;
import ai.clipper.sdk.proto.PredictRequest;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ModelContainerTest {

  private ModelContainer container;
  private ManagedChannel channel;

  private ModelContainerGrpc.ModelContainerBlockingStub serve(Model<?> model, InputType type)
      throws Exception {
    container = ModelContainer.start(model,
        new ContainerConfig("m", "3", type, 0, "127.0.0.1", Optional.empty(),
            Optional.empty()));
    channel = NettyChannelBuilder.forAddress("127.0.0.1", container.port()).usePlaintext().build();
    return ModelContainerGrpc.newBlockingStub(channel);
  }

  @AfterEach
  void stop() {
    if (channel != null) {
      channel.shutdownNow();
      container.close();
    }
  }

  @Test
  void answersOneOutputPerInputInOrder() throws Exception {
    Model<double[]> sum = inputs -> inputs.stream()
        .map(x -> String.valueOf(Arrays.stream(x).sum())).toList();
    var stub = serve(sum, InputType.DOUBLES);
    PredictRequest request = BatchCodec.encode(InputType.DOUBLES,
        List.of(new double[] {1, 2}, new double[] {}, new double[] {5}));
    assertThat(stub.predict(request).getOutputsList()).containsExactly("3.0", "0.0", "5.0");
  }

  @Test
  void saysHowLongTheModelTookForTheBatch() throws Exception {
    Model<String> slow = inputs -> {
      try {
        Thread.sleep(30);  // the model's own work, which the container reports
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return inputs;
    };
    var stub = serve(slow, InputType.STRINGS);
    long computeNanos = stub.predict(BatchCodec.encode(InputType.STRINGS, List.of("a", "b")))
        .getComputeNanos();
    assertThat(computeNanos).isBetween(30_000_000L, 5_000_000_000L);
  }

  @Test
  void predictsOneBatchAtATimeAndABatchThatWaitedSaysHowLong() throws Exception {
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    Model<String> slow = inputs -> {
      most.accumulateAndGet(inside.incrementAndGet(), Math::max);
      Thread.sleep(50);
      inside.decrementAndGet();
      return inputs;
    };
    serve(slow, InputType.STRINGS);
    var async = ModelContainerGrpc.newFutureStub(channel);
    var first = async.predict(BatchCodec.encode(InputType.STRINGS, List.of("a")));
    var second = async.predict(BatchCodec.encode(InputType.STRINGS, List.of("b")));

    assertThat(first.get(10, TimeUnit.SECONDS).getOutputsList()).containsExactly("a");
    assertThat(second.get(10, TimeUnit.SECONDS).getOutputsList()).containsExactly("b");
    assertThat(most).hasValue(1);
    long waited = Math.max(first.get().getQueueNanos(), second.get().getQueueNanos());
    assertThat(waited).isGreaterThanOrEqualTo(40_000_000L);
  }

  @Test
  void predictsItsSampleInputBeforeServingAndRefusesToServeAModelThatFailsOnIt() {
    java.util.List<String> seen = new java.util.ArrayList<>();
    Model<double[]> recording = inputs -> {
      inputs.forEach(x -> seen.add(Arrays.toString(x)));
      return inputs.stream().map(x -> "ok").toList();
    };
    ContainerConfig withSample = new ContainerConfig("m", "1", InputType.DOUBLES, 0, "127.0.0.1",
        Optional.empty(), Optional.empty(), Optional.of("1,2"));
    try (ModelContainer warm = ModelContainer.start(recording, withSample)) {
      assertThat(seen).containsExactly("[1.0, 2.0]");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }

    Model<double[]> broken = inputs -> {
      throw new IllegalStateException("weights missing");
    };
    assertThatThrownBy(() -> ModelContainer.start(broken, withSample))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("sample input").hasMessageContaining("weights missing");
  }

  @Test
  void passesIntInputsThroughUnchanged() throws Exception {
    Model<int[]> describe = inputs -> inputs.stream().map(Arrays::toString).toList();
    var stub = serve(describe, InputType.INTS);
    assertThat(stub.predict(BatchCodec.encode(InputType.INTS,
        List.of(new int[] {-1, 2}, new int[] {7}))).getOutputsList())
        .containsExactly("[-1, 2]", "[7]");
  }

  @Test
  void rejectsInputsOfAnotherTypeAsInvalidArgument() throws Exception {
    var stub = serve(inputs -> List.of("x"), InputType.DOUBLES);
    assertThatThrownBy(() -> stub.predict(BatchCodec.encode(InputType.STRINGS, List.of("a"))))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e ->
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
  }

  @Test
  void aModelThatThrowsAnswersAnErrorAndTheContainerKeepsServing() throws Exception {
    Model<String> flaky = inputs -> {
      if (inputs.get(0).equals("boom")) {
        throw new IllegalStateException("broken model");
      }
      return inputs;
    };
    var stub = serve(flaky, InputType.STRINGS);
    assertThatThrownBy(() -> stub.predict(BatchCodec.encode(InputType.STRINGS, List.of("boom"))))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
          assertThat(e.getStatus().getDescription()).contains("broken model");
        });
    assertThat(stub.predict(BatchCodec.encode(InputType.STRINGS, List.of("ok"))).getOutputsList())
        .containsExactly("ok");
  }

  @Test
  void aModelThatAnswersTheWrongNumberOfOutputsIsAnError() throws Exception {
    var stub = serve(inputs -> List.of(), InputType.STRINGS);
    assertThatThrownBy(() -> stub.predict(BatchCodec.encode(InputType.STRINGS, List.of("a"))))
        .isInstanceOf(StatusRuntimeException.class)
        .hasMessageContaining("0 outputs for 1 inputs");
  }

  @Test
  void servesMetadataAndHealth() throws Exception {
    var stub = serve((Model<String>) inputs -> inputs, InputType.STRINGS);
    var metadata = stub.metadata(MetadataRequest.getDefaultInstance());
    assertThat(metadata.getModelName()).isEqualTo("m");
    assertThat(metadata.getModelVersion()).isEqualTo("3");
    assertThat(metadata.getInputType()).isEqualTo(ai.clipper.sdk.proto.InputType.STRINGS);
    assertThat(HealthGrpc.newBlockingStub(channel)
        .check(HealthCheckRequest.getDefaultInstance()).getStatus())
        .isEqualTo(ServingStatus.SERVING);
  }
}
