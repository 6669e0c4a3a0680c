package ai.clipper.management.launcher.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import ai.clipper.management.AdminClient;
import ai.clipper.management.TestRedis;
import ai.clipper.management.launcher.ReplicaScaler;
import ai.clipper.management.launcher.ReplicaSupervisor;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.util.HashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The service with {@code launcher.type=kubernetes}, its client pointed at a CRUD mock API server
 * (through fabric8's {@code kubernetes.master} system property): the admin API drives Deployments.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class KubernetesLauncherTest {

  private static final String NAMESPACE = "clipper-models";
  private static final KubernetesMockServer API_SERVER = new KubernetesMockServer(new Context(),
      new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(), false);
  private static KubernetesClient cluster;

  @LocalServerPort
  int port;

  @Autowired
  ApplicationContext context;

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    API_SERVER.init();
    cluster = API_SERVER.createClient();
    System.setProperty("kubernetes.master", cluster.getMasterUrl().toString());
    System.setProperty("kubernetes.auth.tryKubeConfig", "false");
    System.setProperty("kubernetes.auth.tryServiceAccount", "false");
    registry.add("spring.data.redis.port", TestRedis::port);
    registry.add("clipper.management.redis-prefix", () -> "k8s-test:");
    registry.add("clipper.management.launcher.type", () -> "kubernetes");
    registry.add("clipper.management.kubernetes.namespace", () -> NAMESPACE);
  }

  @AfterAll
  static void stopApiServer() {
    System.clearProperty("kubernetes.master");
    System.clearProperty("kubernetes.auth.tryKubeConfig");
    System.clearProperty("kubernetes.auth.tryServiceAccount");
    cluster.close();
    API_SERVER.destroy();
  }

  @Test
  void usesDeploymentsInsteadOfTheProcessSupervisor() {
    assertThat(context.getBean(ReplicaScaler.class)).isInstanceOf(KubernetesModelDeployments.class);
    assertThat(context.getBeansOfType(ReplicaSupervisor.class)).isEmpty();
  }

  @Test
  void addingScalingAndDeletingAModelVersionDrivesItsDeployment() {
    AdminClient admin = new AdminClient(port);
    String version = "{'model_name':'sum','model_version':'7'";

    assertThat(admin.post("/admin/add_model", version
        + ",'input_type':'doubles','container_name':'clipper/sum:1'}").status()).isEqualTo(200);
    assertThat(deployment()).isNotNull();
    assertThat(deployment().getSpec().getReplicas()).isEqualTo(1);
    assertThat(deployment().getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
        .isEqualTo("clipper/sum:1");

    assertThat(admin.post("/admin/set_num_replicas", version + ",'num_replicas':3}").status())
        .isEqualTo(200);
    assertThat(deployment().getSpec().getReplicas()).isEqualTo(3);

    assertThat(admin.post("/admin/delete_versioned_model", version + "}").status())
        .isEqualTo(200);
    assertThat(deployment()).isNull();
    assertThat(cluster.services().inNamespace(NAMESPACE).withName("clipper-model-sum-7").get())
        .isNull();
  }

  private Deployment deployment() {
    return cluster.apps().deployments().inNamespace(NAMESPACE).withName("clipper-model-sum-7")
        .get();
  }
}
