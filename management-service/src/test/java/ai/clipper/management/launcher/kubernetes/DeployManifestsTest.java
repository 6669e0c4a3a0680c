package ai.clipper.management.launcher.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

/** The manifests under {@code deploy/kubernetes/} parse as the objects docs/operations/kubernetes.md promises. */
@EnableKubernetesMockClient
class DeployManifestsTest {

  private static final Path DEPLOY = Path.of("..", "deploy", "kubernetes");
  /** Both services ask the sentinels of redis.yaml for the master. */
  private static final Tuple SENTINEL_MASTER =
      Tuple.tuple("SPRING_DATA_REDIS_SENTINEL_MASTER", "clipper");
  private static final Tuple SENTINEL_NODES = Tuple.tuple("SPRING_DATA_REDIS_SENTINEL_NODES",
      "redis-0.redis-headless:26379,redis-1.redis-headless:26379,redis-2.redis-headless:26379");

  KubernetesClient client;

  @Test
  void redisIsASentinelStatefulSetOfThreePodsEachWithItsClaim() throws IOException {
    List<HasMetadata> objects = load("redis.yaml");

    assertThat(objects).extracting(DeployManifestsTest::kindAndName)
        .containsExactly("ConfigMap/redis-conf", "Service/redis-headless", "StatefulSet/redis");
    Map<String, String> conf = ((ConfigMap) objects.get(0)).getData();
    assertThat(conf.get("redis.conf"))
        .contains("appendonly yes", "appendfsync everysec", "dir /data");
    assertThat(conf.get("start-sentinel.sh"))
        .contains("sentinel monitor clipper redis-0.redis-headless 6379 2");
    assertThat(((Service) objects.get(1)).getSpec().getPublishNotReadyAddresses()).isTrue();
    StatefulSet redis = (StatefulSet) objects.get(2);
    assertThat(redis.getSpec().getReplicas()).isEqualTo(3);
    assertThat(redis.getSpec().getServiceName()).isEqualTo("redis-headless");
    assertThat(redis.getSpec().getVolumeClaimTemplates()).extracting(c -> c.getMetadata().getName())
        .containsExactly("data");
    assertThat(redis.getSpec().getTemplate().getSpec().getContainers())
        .extracting(Container::getName).containsExactly("redis", "sentinel");
    assertThat(redis.getSpec().getTemplate().getSpec().getContainers())
        .allSatisfy(container -> assertThat(container.getLivenessProbe()).isNotNull());
  }

  @Test
  void twoQueryFrontendsRunBehindOneServiceOn1337() throws IOException {
    List<HasMetadata> objects = load("query-frontend.yaml");

    assertThat(objects).extracting(DeployManifestsTest::kindAndName)
        .containsExactly("Deployment/query-frontend", "Service/query-frontend");
    Deployment frontends = (Deployment) objects.get(0);
    assertThat(frontends.getSpec().getReplicas()).isEqualTo(2);
    var frontend = frontends.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(frontend.getLivenessProbe().getHttpGet().getPath())
        .isEqualTo("/actuator/health/liveness");
    assertThat(frontend.getReadinessProbe().getHttpGet().getPath())
        .isEqualTo("/actuator/health/readiness");
    assertThat(frontends.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
        .extracting(EnvVar::getName, EnvVar::getValue)
        .contains(SENTINEL_MASTER, SENTINEL_NODES);
  }

  @Test
  void theManagementServiceRunsTheKubernetesLauncherWithTheRightsItNeeds() throws IOException {
    List<HasMetadata> objects = load("management.yaml");

    assertThat(objects).extracting(DeployManifestsTest::kindAndName).containsExactly(
        "ServiceAccount/clipper-management", "Role/clipper-model-launcher",
        "RoleBinding/clipper-model-launcher", "Deployment/management",
        "PersistentVolumeClaim/management-artifacts", "Service/management");
    Deployment management = (Deployment) objects.get(3);
    assertThat(management.getSpec().getTemplate().getSpec().getServiceAccountName())
        .isEqualTo("clipper-management");
    assertThat(management.getSpec().getTemplate().getSpec().getContainers().get(0)
        .getLivenessProbe().getHttpGet().getPath()).isEqualTo("/actuator/health/liveness");
    assertThat(management.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
        .extracting(EnvVar::getName, EnvVar::getValue)
        .contains(SENTINEL_MASTER, SENTINEL_NODES,
            org.assertj.core.groups.Tuple.tuple("CLIPPER_MANAGEMENT_LAUNCHER_TYPE",
            "kubernetes"), org.assertj.core.groups.Tuple.tuple("CLIPPER_MANAGEMENT_ARTIFACTS_URL",
            "http://management:1338"));
    // uploaded artifacts outlive the pod, on the claim
    assertThat(management.getSpec().getTemplate().getSpec().getVolumes()).singleElement()
        .satisfies(volume -> assertThat(volume.getPersistentVolumeClaim().getClaimName())
            .isEqualTo("management-artifacts"));
    assertThat(management.getSpec().getStrategy().getType()).isEqualTo("Recreate");
    List<PolicyRule> rules = ((Role) objects.get(1)).getRules();
    assertThat(rules).anySatisfy(rule -> {
      assertThat(rule.getApiGroups()).containsExactly("apps");
      assertThat(rule.getResources()).containsExactly("deployments");
      assertThat(rule.getVerbs()).contains("create", "update", "patch", "delete", "list");
    });
    assertThat(rules).anySatisfy(rule -> {
      assertThat(rule.getResources()).containsExactly("services");
      assertThat(rule.getVerbs()).contains("create", "update", "patch", "delete", "get");
    });
    assertThat(rules).anySatisfy(rule -> {
      assertThat(rule.getResources()).containsExactly("pods");
      assertThat(rule.getVerbs()).containsExactlyInAnyOrder("get", "list", "watch");
    });
  }

  @Test
  void prometheusScrapesEachFrontendPodAndLoadsTheSharedRules() throws IOException {
    List<HasMetadata> objects = load("prometheus.yaml");

    assertThat(objects).extracting(DeployManifestsTest::kindAndName).containsExactly(
        "ConfigMap/prometheus-config", "Service/query-frontend-pods", "Deployment/prometheus",
        "Service/prometheus");
    assertThat(((ConfigMap) objects.get(0)).getData().get("prometheus.yml"))
        .contains("rules/clipper-rules.yml", "names: [query-frontend-pods]",
            "http://management:1338/admin/prometheus_targets");
    assertThat(((Service) objects.get(1)).getSpec().getClusterIP()).isEqualTo("None");
    Deployment prometheus = (Deployment) objects.get(2);
    assertThat(prometheus.getSpec().getTemplate().getSpec().getVolumes())
        .extracting(volume -> volume.getConfigMap() == null ? null
            : volume.getConfigMap().getName())
        .contains("prometheus-config", "clipper-prometheus-rules");
  }

  @Test
  void theKustomizationListsEveryManifest() throws IOException {
    String kustomization = Files.readString(DEPLOY.resolve("kustomization.yaml"));
    assertThat(kustomization).contains("- redis.yaml", "- query-frontend.yaml",
        "- management.yaml", "- prometheus.yaml", "- ../observability");
  }

  private List<HasMetadata> load(String file) throws IOException {
    try (InputStream in = Files.newInputStream(DEPLOY.resolve(file))) {
      return client.load(in).items();
    }
  }

  private static String kindAndName(HasMetadata object) {
    return object.getKind() + "/" + object.getMetadata().getName();
  }
}
