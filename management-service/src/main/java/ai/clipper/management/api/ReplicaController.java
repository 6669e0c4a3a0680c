package ai.clipper.management.api;

import static ai.clipper.management.api.RequestRules.required;

import ai.clipper.management.api.AdminRequests.AddReplica;
import ai.clipper.management.api.AdminRequests.GetContainer;
import ai.clipper.management.api.AdminRequests.ModelVersion;
import ai.clipper.management.api.AdminRequests.RemoveReplica;
import ai.clipper.management.api.AdminRequests.Verbose;
import ai.clipper.management.api.AdminViews.ContainerView;
import ai.clipper.management.api.AdminViews.Message;
import ai.clipper.management.api.AdminViews.ReplicaId;
import ai.clipper.management.api.AdminViews.ReplicaLogs;
import ai.clipper.management.api.AdminViews.ReplicaView;
import ai.clipper.management.launcher.PrometheusTargets;
import ai.clipper.management.launcher.ReplicaOutputs;
import ai.clipper.management.launcher.ReplicaScaler;
import ai.clipper.management.metadata.MetadataStore;
import ai.clipper.metadata.Model;
import ai.clipper.metadata.ModelId;
import ai.clipper.metadata.Replica;
import ai.clipper.sdk.InputType;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Clipper's container listings, plus our replica endpoints: containers started elsewhere
 * ({@code NO_CONTAINER} models) register and unregister themselves here; launched replicas'
 * output and metrics addresses are read here.
 */
@RestController
@RequestMapping("/admin")
class ReplicaController {

  /** A host name or an IPv4/IPv6 address, nothing that could smuggle a URL or a path. */
  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._:\\[\\]-]{1,253}");

  /** The most lines {@code get_replica_logs} answers, and how many when not asked. */
  private static final int MAX_TAIL = 10_000;
  private static final int DEFAULT_TAIL = 200;

  private final MetadataStore store;
  private final ReplicaScaler replicas;
  private final ReplicaOutputs outputs;
  private final PrometheusTargets targets;

  ReplicaController(MetadataStore store, ReplicaScaler replicas, ReplicaOutputs outputs,
      PrometheusTargets targets) {
    this.store = store;
    this.replicas = replicas;
    this.outputs = outputs;
    this.targets = targets;
  }

  @PostMapping("/get_all_containers")
  List<?> allContainers(@RequestBody(required = false) Verbose request) {
    List<Replica> replicas = store.replicas();
    return Verbose.of(request)
        ? replicas.stream().map(ContainerView::of).toList()
        : replicas.stream().map(Replica::key).toList();
  }

  @PostMapping("/get_container")
  Object container(@RequestBody GetContainer request) {
    ModelId id = ModelController.id(new ModelVersion(request.modelName(), request.modelVersion()));
    return store.replica(id, required(request.replicaId(), "replica_id"))
        .<Object>map(ContainerView::of).orElse(Map.of());
  }

  @PostMapping("/get_replicas")
  List<ReplicaView> replicas(@RequestBody ModelVersion request) {
    return store.replicas(existing(request).id()).stream()
        .map(replica -> ReplicaView.of(replica,
            replicas.lastExit(replica.model(), replica.replicaId())))
        .toList();
  }

  /**
   * The last lines a launched replica wrote. A GET, so that {@code curl} reads it, but it needs
   * the token: a model's output may show anything its process holds.
   */
  @Mutating
  @GetMapping("/get_replica_logs")
  ReplicaLogs replicaLogs(@RequestParam(name = "model_name", required = false) String modelName,
      @RequestParam(name = "model_version", required = false) String modelVersion,
      @RequestParam(name = "replica_id", required = false) String replicaId,
      @RequestParam(name = "tail", required = false) String tail) {
    Model model = existing(new ModelVersion(modelName, modelVersion));
    int replica = RequestRules.integer(required(replicaId, "replica_id"), "replica_id");
    int lines = tail == null ? DEFAULT_TAIL
        : RequestRules.inRange(RequestRules.integer(tail, "tail"), "tail", 1, MAX_TAIL);
    String what = "replica " + replica + " of model with name '" + model.id().name()
        + "' and version '" + model.id().version() + "'";
    if (store.replica(model.id(), replica).isEmpty()) {
      throw new NotFoundException("There is no " + what);
    }
    return outputs.output(model.id(), replica, lines)
        .map(output -> ReplicaLogs.of(model.id(), replica, output))
        .orElseThrow(() -> new NotFoundException("The management service did not launch " + what
            + " (it registered itself), or no longer knows where it runs; its output is where"
            + " it runs"));
  }

  /** Prometheus' HTTP service discovery of the replicas' metrics; open, it holds addresses only. */
  @GetMapping("/prometheus_targets")
  List<PrometheusTargets.TargetGroup> prometheusTargets() {
    return targets.all();
  }

  @Mutating
  @PostMapping("/add_replica")
  ReplicaId addReplica(@RequestBody AddReplica request) {
    Model model = existing(new ModelVersion(request.modelName(), request.modelVersion()));
    InputType type = RequestRules.inputType(request.inputType());
    if (type != model.inputType()) {
      throw InvalidRequestException.invalid("Model with name '" + model.id().name()
          + "' and version '" + model.id().version() + "' has input_type " + model.inputType()
          + ", not " + type);
    }
    String host = required(request.host(), "host");
    if (!HOST.matcher(host).matches()) {
      throw InvalidRequestException.invalid("Invalid value for host: '" + host + "'");
    }
    int port = RequestRules.inRange(request.port(), "port", 1, 65535);
    int replicaId = store.nextReplicaId(model.id());
    Replica replica = new Replica(model.id(), replicaId, host, port, type, Replica.Status.UP);
    if (!store.putReplica(replica, Map.of())) {
      throw ModelController.notFound(model.id());
    }
    return new ReplicaId(replicaId);
  }

  @Mutating
  @PostMapping("/remove_replica")
  Message removeReplica(@RequestBody RemoveReplica request) {
    ModelId id = ModelController.id(new ModelVersion(request.modelName(), request.modelVersion()));
    int replicaId = required(request.modelReplicaId(), "model_replica_id");
    String what = "replica " + replicaId + " of model with name '" + id.name()
        + "' and version '" + id.version() + "'";
    if (store.replica(id, replicaId).isEmpty()) {
      throw new NotFoundException("There is no " + what);
    }
    if (!store.launchInfo(id, replicaId).isEmpty()) {
      throw InvalidRequestException.invalid("The management service launched " + what
          + "; use set_num_replicas to scale it");
    }
    store.removeReplica(id, replicaId);
    return new Message("Successfully removed " + what);
  }

  private Model existing(ModelVersion request) {
    ModelId id = ModelController.id(request);
    return store.model(id).orElseThrow(() -> ModelController.notFound(id));
  }
}
