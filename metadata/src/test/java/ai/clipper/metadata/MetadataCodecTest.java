package ai.clipper.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import ai.clipper.sdk.InputType;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetadataCodecTest {

  @Test
  void appSurvivesARoundTripThroughItsHash() {
    App app = new App("demo", InputType.DOUBLES, "-1", 100_000, App.DEFAULT_POLICY, true);
    assertThat(MetadataCodec.toApp(MetadataCodec.toHash(app))).isEqualTo(app);
  }

  @Test
  void appKeepsItsPolicyParamsAsAJsonObjectString() {
    PolicyParams params = PolicyParams.parse("{\"eta\":0.5,\"loss\":\"absolute\"}");
    App app = new App("demo", InputType.DOUBLES, "-1", 100_000, "exp3", true, params);

    assertThat(MetadataCodec.toHash(app))
        .containsEntry("policy_params", "{\"eta\":0.5,\"loss\":\"absolute\"}");
    assertThat(MetadataCodec.toApp(MetadataCodec.toHash(app)).policyParams()).isEqualTo(params);
  }

  @Test
  void appWrittenWithoutPolicyParamsTakesTheDefaults() {
    App app = MetadataCodec.toApp(java.util.Map.of("name", "old", "input_type", "doubles",
        "default_output", "-1", "latency_slo_micros", "1000"));
    assertThat(app.policyParams()).isEqualTo(PolicyParams.DEFAULTS);
  }

  @Test
  void appThatOptsOutOfTheCacheKeepsItsChoice() {
    App app = new App("demo", InputType.DOUBLES, "-1", 100_000, App.DEFAULT_POLICY, false);
    assertThat(MetadataCodec.toHash(app)).containsEntry("cache_enabled", "false");
    assertThat(MetadataCodec.toApp(MetadataCodec.toHash(app)).cacheEnabled()).isFalse();
  }

  @Test
  void appWrittenWithoutTheCacheFieldHasTheCacheOn() {
    App app = MetadataCodec.toApp(java.util.Map.of("name", "old", "input_type", "doubles",
        "default_output", "-1", "latency_slo_micros", "1000"));
    assertThat(app.cacheEnabled()).isTrue();
  }

  @Test
  void appThatRejectsWhenOverloadedKeepsItsChoice() {
    App app = new App("demo", InputType.DOUBLES, "-1", 100_000, App.DEFAULT_POLICY, true)
        .withOverload(Overload.REJECT);
    assertThat(MetadataCodec.toHash(app)).containsEntry("overload", "reject");
    assertThat(MetadataCodec.toApp(MetadataCodec.toHash(app))).isEqualTo(app);
  }

  @Test
  void appWrittenWithoutTheOverloadFieldAnswersTheDefault() {
    App app = MetadataCodec.toApp(java.util.Map.of("name", "old", "input_type", "doubles",
        "default_output", "-1", "latency_slo_micros", "1000"));
    assertThat(app.overload()).isEqualTo(Overload.DEFAULT_OUTPUT);
  }

  @Test
  void modelSurvivesARoundTripThroughItsHash() {
    Model model = new Model(new ModelId("sum", "2"), InputType.INTS, List.of("a", "b"),
        "java-sum", "DEPRECATED", -1, 2_500, 1, java.util.Map.of("SLEEP_FIXED_MS", "200"));
    assertThat(MetadataCodec.toModel(MetadataCodec.toHash(model))).isEqualTo(model);
  }

  @Test
  void modelWithoutLabelsHasAnEmptyList() {
    Model model = new Model(new ModelId("sum", "1"), InputType.DOUBLES, List.of(),
        Model.NO_CONTAINER, "", 8, 0, 0, java.util.Map.of());
    assertThat(MetadataCodec.toModel(MetadataCodec.toHash(model)).labels()).isEmpty();
  }

  @Test
  void modelWrittenBeforeBatchWaitExistedWaitsNot() {
    java.util.Map<String, String> hash = new java.util.HashMap<>(MetadataCodec.toHash(
        new Model(new ModelId("old", "1"), InputType.DOUBLES, List.of(), Model.NO_CONTAINER, "",
            -1, 700, 0, java.util.Map.of())));
    hash.remove("batch_wait_micros");
    assertThat(MetadataCodec.toModel(hash).batchWaitMicros()).isZero();
  }

  @Test
  void replicaSurvivesARoundTripThroughItsHash() {
    Replica replica = new Replica(new ModelId("sum", "1"), 3, "127.0.0.1", 7001,
        InputType.STRINGS, Replica.Status.UP);
    assertThat(MetadataCodec.toReplica(MetadataCodec.toHash(replica))).isEqualTo(replica);
    assertThat(replica.key()).isEqualTo("sum:1:3");
  }

  @Test
  void modelIdParsesNameAndVersion() {
    assertThat(ModelId.parse("sum:12")).isEqualTo(new ModelId("sum", "12"));
  }
}
