package ai.clipper.management.launcher.kubernetes;

import ai.clipper.management.config.ManagementProperties;
import ai.clipper.management.launcher.ContainerTelemetry;
import ai.clipper.management.launcher.ModelArtifacts;
import ai.clipper.management.metadata.MetadataStore;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** Launcher type {@code kubernetes}: model versions become Deployments in the configured namespace. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "clipper.management.launcher.type", havingValue = "kubernetes")
public class KubernetesLauncherConfig {

  /** In a pod, the service account's token and the API server from the environment. */
  @Bean(destroyMethod = "close")
  KubernetesClient kubernetesClient() {
    return new KubernetesClientBuilder().build();
  }

  @Bean
  KubernetesModelDeployments kubernetesModelDeployments(KubernetesClient client,
      ManagementProperties properties, Environment environment) {
    // without a configured URL, pods reach this service through the manifests' Service
    return new KubernetesModelDeployments(client, properties.kubernetes().namespace(),
        () -> ModelArtifacts.of(properties, environment, "management"),
        ContainerTelemetry.of(properties));
  }

  @Bean
  PodReplicas podReplicas(KubernetesClient client, ManagementProperties properties,
      MetadataStore store) {
    return new PodReplicas(client, properties.kubernetes().namespace(), store,
        properties.kubernetes().syncInterval());
  }
}
