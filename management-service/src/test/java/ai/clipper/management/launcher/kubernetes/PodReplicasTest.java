package ai.clipper.management.launcher.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import ai.clipper.management.TestRedis;
import ai.clipper.management.metadata.MetadataStore;
import ai.clipper.metadata.Model;
import ai.clipper.metadata.ModelId;
import ai.clipper.metadata.RedisKeys;
import ai.clipper.metadata.Replica;
import ai.clipper.metadata.Replica.Status;
import ai.clipper.sdk.InputType;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/** Ready model pods in the mock API server become UP replicas in a real Redis, and go away. */
@EnableKubernetesMockClient(crud = true)
class PodReplicasTest {

  private static final String NAMESPACE = "clipper-test";

  KubernetesClient client;
  KubernetesMockServer server;
  private LettuceConnectionFactory connections;
  private MetadataStore store;
  private PodReplicas podReplicas;
  private final Model sum = new Model(new ModelId("sum", "1"), InputType.DOUBLES, List.of(),
      "sum:1", "", -1, 0, 2, Map.of());

  @BeforeEach
  void setUp() {
    connections = TestRedis.connect();
    StringRedisTemplate redis = new StringRedisTemplate(connections);
    redis.delete(redis.keys("pods-test:*"));
    store = new MetadataStore(redis, new RedisKeys("pods-test:"));
    store.addModel(sum);
    podReplicas = new PodReplicas(client, NAMESPACE, store, Duration.ofSeconds(5));
  }

  @AfterEach
  void tearDown() {
    connections.destroy();
  }

  @Test
  void recordsEachReadyPodOnceAsAnUpReplicaAtItsIp() {
    createPod("sum-a", "10.1.0.5", true);
    createPod("sum-b", "10.1.0.6", true);

    podReplicas.sync();
    podReplicas.sync();

    assertThat(store.replicas(sum.id()))
        .extracting(Replica::host, Replica::port, Replica::status, Replica::inputType)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("10.1.0.5", 7000, Status.UP, InputType.DOUBLES),
            org.assertj.core.groups.Tuple.tuple("10.1.0.6", 7000, Status.UP, InputType.DOUBLES));
  }

  @Test
  void recordsThePodsMetricsPortForPrometheus() {
    createPod("sum-a", "10.1.0.5", true);

    podReplicas.sync();

    Replica replica = store.replicas(sum.id()).get(0);
    assertThat(store.launchInfo(sum.id(), replica.replicaId()))
        .containsEntry("pod", "sum-a").containsEntry("metrics_port", "9464");
  }

  @Test
  void readsAReplicasOutputFromItsPodsLog() {
    createPod("sum-a", "10.1.0.5", true);
    podReplicas.sync();
    int replicaId = store.replicas(sum.id()).get(0).replicaId();
    server.expect().get()
        .withPath("/api/v1/namespaces/" + NAMESPACE + "/pods/sum-a/log?pretty=false&tailLines=2")
        .andReturn(200, "loading\nServing model sum:1\n").once();

    assertThat(podReplicas.output(sum.id(), replicaId, 2))
        .contains(List.of("loading", "Serving model sum:1"));
    assertThat(podReplicas.output(sum.id(), 99, 2)).isEmpty();
  }

  @Test
  void ignoresPodsThatAreNotReadyYet() {
    createPod("sum-a", "10.1.0.5", false);

    podReplicas.sync();

    assertThat(store.replicas(sum.id())).isEmpty();
  }

  @Test
  void removesTheReplicaOfAPodThatWentAwayOrStoppedBeingReady() {
    createPod("sum-a", "10.1.0.5", true);
    createPod("sum-b", "10.1.0.6", true);
    podReplicas.sync();

    client.pods().inNamespace(NAMESPACE).withName("sum-a").delete();
    client.pods().inNamespace(NAMESPACE).resource(pod("sum-b", "10.1.0.6", false)).update();
    podReplicas.sync();

    assertThat(store.replicas(sum.id())).isEmpty();
  }

  @Test
  void leavesReplicasThatRegisteredThemselvesAlone() {
    Model external = new Model(new ModelId("ext", "1"), InputType.DOUBLES, List.of(),
        Model.NO_CONTAINER, "", -1, 0, 0, Map.of());
    store.addModel(external);
    store.putReplica(new Replica(external.id(), 1, "10.9.9.9", 7000, InputType.DOUBLES, Status.UP),
        Map.of());

    podReplicas.sync();

    assertThat(store.replicas(external.id())).hasSize(1);
  }

  private void createPod(String name, String ip, boolean ready) {
    client.pods().inNamespace(NAMESPACE).resource(pod(name, ip, ready)).create();
  }

  private Pod pod(String name, String ip, boolean ready) {
    return new PodBuilder()
        .withNewMetadata().withName(name).withLabels(ModelResources.labels(sum))
          .addToAnnotations(ModelResources.MODEL_ID_ANNOTATION, "sum:1").endMetadata()
        .withNewStatus().withPodIP(ip)
          .addNewCondition().withType("Ready").withStatus(ready ? "True" : "False").endCondition()
        .endStatus()
        .build();
  }
}
