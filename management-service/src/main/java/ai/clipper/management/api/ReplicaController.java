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
import ai.clipper.management.models.ModelService;
import ai.clipper.management.replicas.ReplicaService;
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
 * output and metrics addresses are read here. HTTP only.
 */
@RestController
@RequestMapping("/admin")
class ReplicaController {

  /** A host name or an IPv4/IPv6 address, nothing that could smuggle a URL or a path. */
  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._:\\[\\]-]{1,253}");

  /** The most lines {@code get_replica_logs} answers, and how many when not asked. */
  private static final int MAX_TAIL = 10_000;
  private static final int DEFAULT_TAIL = 200;

  private final ReplicaService replicas;
  private final ModelService models;
  private final PrometheusTargets targets;

  ReplicaController(ReplicaService replicas, ModelService models, PrometheusTargets targets) {
    this.replicas = replicas;
    this.models = models;
    this.targets = targets;
  }

  @PostMapping("/get_all_containers")
  List<?> allContainers(@RequestBody(required = false) Verbose request) {
    List<Replica> all = replicas.all();
    return Verbose.of(request)
        ? all.stream().map(ContainerView::of).toList()
        : all.stream().map(Replica::key).toList();
  }

  @PostMapping("/get_container")
  Object container(@RequestBody GetContainer request) {
    ModelId id = ModelController.id(new ModelVersion(request.modelName(), request.modelVersion()));
    return replicas.find(id, required(request.replicaId(), "replica_id"))
        .<Object>map(ContainerView::of).orElse(Map.of());
  }

  @PostMapping("/get_replicas")
  List<ReplicaView> replicas(@RequestBody ModelVersion request) {
    return replicas.of(existing(request).id()).stream()
        .map(replica -> ReplicaView.of(replica, replicas.lastExit(replica)))
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
    return ReplicaLogs.of(model.id(), replica, replicas.output(model.id(), replica, lines));
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
    String host = required(request.host(), "host");
    if (!HOST.matcher(host).matches()) {
      throw InvalidRequestException.invalid("Invalid value for host: '" + host + "'");
    }
    int port = RequestRules.inRange(request.port(), "port", 1, 65535);
    return new ReplicaId(replicas.register(model.id(), type, host, port));
  }

  @Mutating
  @PostMapping("/remove_replica")
  Message removeReplica(@RequestBody RemoveReplica request) {
    ModelId id = ModelController.id(new ModelVersion(request.modelName(), request.modelVersion()));
    int replicaId = required(request.modelReplicaId(), "model_replica_id");
    replicas.unregister(id, replicaId);
    return new Message("Successfully removed " + ReplicaService.describe(id, replicaId));
  }

  private Model existing(ModelVersion request) {
    return models.existing(ModelController.id(request));
  }
}
