package ai.clipper.management.launcher.kubernetes;

import ai.clipper.management.launcher.ContainerTelemetry;
import ai.clipper.management.launcher.ReplicaOutputs;
import ai.clipper.management.metadata.MetadataStore;
import ai.clipper.metadata.Model;
import ai.clipper.metadata.ModelId;
import ai.clipper.metadata.Replica;
import ai.clipper.metadata.Replica.Status;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Mirrors the ready pods of every model Deployment into Redis as UP replicas (pod IP, port 7000),
 * so frontends dial each pod directly, and forgets a replica once its pod is gone or not ready.
 * A periodic list rather than a watch: a missed event or a restart heals on the next pass.
 * Also where a pod replica's output is read, as it knows each replica's pod.
 */
public class PodReplicas implements SmartLifecycle, ReplicaOutputs {

  private static final Logger LOG = LoggerFactory.getLogger(PodReplicas.class);
  /** The replica's launch field naming its pod. */
  static final String POD_FIELD = "pod";

  private final KubernetesClient client;
  private final String namespace;
  private final MetadataStore store;
  private final Duration interval;
  private ScheduledExecutorService scheduler;

  public PodReplicas(KubernetesClient client, String namespace, MetadataStore store,
      Duration interval) {
    this.client = client;
    this.namespace = namespace;
    this.store = store;
    this.interval = interval;
  }

  /** One pass: records new ready pods, removes replicas whose pod is gone or not ready. */
  public synchronized void sync() {
    Map<String, Pod> ready = new HashMap<>();
    for (Pod pod : client.pods().inNamespace(namespace)
        .withLabel(ModelResourceNames.PART_OF, ModelResourceNames.CLIPPER)
        .withLabel(ModelResourceNames.MODEL).list().getItems()) {
      if (isReady(pod)) {
        ready.put(pod.getMetadata().getName(), pod);
      }
    }
    for (Replica replica : store.replicas()) {
      String pod = store.launchInfo(replica.model(), replica.replicaId()).get(POD_FIELD);
      if (pod != null && ready.remove(pod) == null) {
        store.removeReplica(replica.model(), replica.replicaId());
        LOG.info("Pod {} is gone or not ready; removed replica {}", pod, replica.key());
      }
    }
    ready.values().forEach(this::record); // ready pods no replica names yet
  }

  private void record(Pod pod) {
    String modelId = Optional.ofNullable(pod.getMetadata().getAnnotations())
        .map(annotations -> annotations.get(ModelResources.MODEL_ID_ANNOTATION)).orElse(null);
    Model model = modelId == null ? null : store.model(ModelId.parse(modelId)).orElse(null);
    if (model == null) {
      return; // its model version was deleted; the Deployment goes with it
    }
    Replica replica = new Replica(model.id(), store.nextReplicaId(model.id()),
        pod.getStatus().getPodIP(), ModelResources.GRPC_PORT, model.inputType(), Status.UP);
    if (store.putReplica(replica, Map.of(POD_FIELD, pod.getMetadata().getName(),
        ContainerTelemetry.METRICS_PORT_FIELD,
        Integer.toString(ContainerTelemetry.CONTAINER_METRICS_PORT)))) {
      LOG.info("Pod {} is ready: replica {} at {}", pod.getMetadata().getName(), replica.key(),
          replica.host());
    }
  }

  /** The pod's log ({@code kubectl logs --tail}); empty for a replica that names no pod. */
  @Override
  public Optional<List<String>> output(ModelId id, int replicaId, int lines) {
    String pod = store.launchInfo(id, replicaId).get(POD_FIELD);
    if (pod == null) {
      return Optional.empty();
    }
    try {
      String log = client.pods().inNamespace(namespace).withName(pod).tailingLines(lines)
          .getLog();
      return Optional.of(log == null || log.isEmpty() ? List.of() : List.of(log.split("\r?\n")));
    } catch (KubernetesClientException e) {
      LOG.warn("Could not read the log of pod {}: {}", pod, e.toString());
      return e.getCode() == HttpURLConnection.HTTP_NOT_FOUND ? Optional.empty()
          : Optional.of(List.of());
    }
  }

  private static boolean isReady(Pod pod) {
    return pod.getStatus() != null && pod.getStatus().getPodIP() != null
        && pod.getMetadata().getDeletionTimestamp() == null
        && pod.getStatus().getConditions() != null
        && pod.getStatus().getConditions().stream().anyMatch(
            condition -> "Ready".equals(condition.getType())
                && "True".equals(condition.getStatus()));
  }

  @Override
  public synchronized void start() {
    scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "pod-replicas");
      thread.setDaemon(true);
      return thread;
    });
    scheduler.scheduleWithFixedDelay(this::syncQuietly, 0, interval.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  private void syncQuietly() {
    try {
      sync();
    } catch (RuntimeException e) {
      LOG.warn("Could not sync pods to replicas: {}", e.toString());
    }
  }

  @Override
  public synchronized void stop() {
    if (scheduler != null) {
      scheduler.shutdownNow();
      scheduler = null;
    }
  }

  @Override
  public synchronized boolean isRunning() {
    return scheduler != null;
  }
}
