package ai.clipper.management.launcher;

import ai.clipper.management.metadata.MetadataStore;
import ai.clipper.metadata.Replica;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Prometheus' HTTP service discovery of the model containers: one target group per replica that
 * was launched with a metrics port, at the host the frontends reach it at. Self-registered
 * replicas ({@code NO_CONTAINER}) are not listed: this service does not know their metrics port.
 */
@Component
public class PrometheusTargets {

  static final String JOB = "clipper-model";

  /** One entry of Prometheus' {@code http_sd_configs} answer. */
  public record TargetGroup(List<String> targets, Map<String, String> labels) {
  }

  private final MetadataStore store;

  public PrometheusTargets(MetadataStore store) {
    this.store = store;
  }

  public List<TargetGroup> all() {
    return store.replicas().stream().flatMap(replica -> group(replica).stream()).toList();
  }

  private Optional<TargetGroup> group(Replica replica) {
    String port = store.launchInfo(replica.model(), replica.replicaId())
        .get(ContainerTelemetry.METRICS_PORT_FIELD);
    if (port == null || "0".equals(port)) {
      return Optional.empty();
    }
    // an IPv6 address needs brackets before its port
    String host = replica.host().contains(":") && !replica.host().startsWith("[")
        ? "[" + replica.host() + "]" : replica.host();
    return Optional.of(new TargetGroup(List.of(host + ":" + port), Map.of(
        "model", replica.model().name(), "version", replica.model().version(),
        "replica", Integer.toString(replica.replicaId()), "job", JOB)));
  }
}
