package ai.clipper.management.api;

import static ai.clipper.management.api.RequestRules.required;

import ai.clipper.management.api.AdminRequests.AddModel;
import ai.clipper.management.api.AdminRequests.ModelVersion;
import ai.clipper.management.api.AdminRequests.SetNumReplicas;
import ai.clipper.management.api.AdminRequests.Verbose;
import ai.clipper.management.api.AdminViews.Message;
import ai.clipper.management.api.AdminViews.ModelView;
import ai.clipper.management.artifacts.Artifact;
import ai.clipper.management.artifacts.ArtifactCollector;
import ai.clipper.management.artifacts.ArtifactStore;
import ai.clipper.management.launcher.ReplicaScaler;
import ai.clipper.management.metadata.MetadataStore;
import ai.clipper.metadata.App;
import ai.clipper.metadata.Model;
import ai.clipper.metadata.ModelId;
import ai.clipper.metadata.Replica;
import ai.clipper.sdk.InputType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Clipper's admin endpoints for model versions, plus {@code set_num_replicas}. Adding a model
 * makes it current and launches one replica (none for {@code NO_CONTAINER}); the call answers
 * once the process is started and recorded STARTING, without waiting for it to be UP.
 */
@RestController
@RequestMapping("/admin")
class ModelController {

  static final int MAX_REPLICAS = 32;
  static final long MAX_BATCH_WAIT_MICROS = 1_000_000;

  private final MetadataStore store;
  private final ReplicaScaler supervisor;
  private final ArtifactStore artifacts;
  private final ArtifactCollector collector;

  ModelController(MetadataStore store, ReplicaScaler supervisor, ArtifactStore artifacts,
      ArtifactCollector collector) {
    this.store = store;
    this.supervisor = supervisor;
    this.artifacts = artifacts;
    this.collector = collector;
  }

  @Mutating
  @PostMapping("/add_model")
  Message addModel(@RequestBody AddModel request) {
    ModelId id = new ModelId(RequestRules.name(request.modelName(), "model_name"),
        RequestRules.noSeparators(request.modelVersion(), "model_version"));
    int batchSize = request.batchSize() == null ? -1 : request.batchSize();
    if (batchSize != -1 && batchSize < 1) {
      throw InvalidRequestException.invalid("Invalid value for batch_size: " + batchSize
          + " (must be -1 for adaptive batching, or at least 1)");
    }
    // Delayed batching: how long a replica may hold a partial batch for more queries to join.
    long batchWaitMicros = request.batchWaitMicros() == null ? 0 : request.batchWaitMicros();
    if (batchWaitMicros < 0 || batchWaitMicros > MAX_BATCH_WAIT_MICROS) {
      throw InvalidRequestException.invalid("Invalid value for batch_wait_micros: "
          + batchWaitMicros + " (must be between 0 and " + MAX_BATCH_WAIT_MICROS + ")");
    }
    String containerName = required(request.containerName(), "container_name");
    InputType inputType = RequestRules.inputType(request.inputType());
    Map<String, String> env = new LinkedHashMap<>(RequestRules.env(request.env()));
    // Its containers predict it before they serve (the SDKs read this variable).
    RequestRules.sampleInput(request.sampleInput(), inputType)
        .ifPresent(sample -> env.put("CLIPPER_SAMPLE_INPUT", sample));
    Model model = new Model(id, inputType, RequestRules.labels(request.labels()), containerName,
        request.modelDataPath() == null ? "" : request.modelDataPath(), batchSize, batchWaitMicros,
        Model.NO_CONTAINER.equals(containerName) ? 0 : 1, env);
    if (model.launchesContainers()) {
      supervisor.check(model);
    }
    for (App app : store.apps()) {
      if (app.inputType() != model.inputType() && store.links(app.name()).contains(id.name())) {
        throw new ConflictException("Model with name '" + id.name() + "' is linked to"
            + " application '" + app.name() + "' with incompatible input_type "
            + app.inputType() + ". Requested input_type: " + model.inputType());
      }
    }
    // a model that names an artifact claims it, so no concurrent delete collects it
    boolean added = Artifact.isDigest(model.modelDataPath())
        ? artifacts.claim(model.modelDataPath(), () -> store.addModel(model))
        : store.addModel(model);
    if (!added) {
      throw new ConflictException("model with name '" + id.name() + "' and version '"
          + id.version() + "' already exists");
    }
    supervisor.scale(model, model.numReplicas());
    return new Message("Successfully added model with name '" + id.name() + "' and input type '"
        + model.inputType() + "'");
  }

  @Mutating
  @PostMapping("/set_model_version")
  Message setVersion(@RequestBody ModelVersion request) {
    ModelId id = id(request);
    if (!store.setCurrentVersion(id)) {
      throw new NotFoundException("Cannot set non-existent version '" + id.version()
          + "' for model with name '" + id.name() + "'");
    }
    return new Message("Successfully set model with name '" + id.name() + "' to version '"
        + id.version() + "'");
  }

  /**
   * Stops the version's replicas, forgets self-registered ones, then deletes the version, and its
   * artifact when no other version uses it.
   */
  @Mutating
  @PostMapping("/delete_versioned_model")
  Message deleteVersion(@RequestBody ModelVersion request) {
    Model model = existing(request);
    ModelId id = model.id();
    supervisor.stopAll(id);
    for (Replica replica : store.replicas(id)) {
      store.removeReplica(id, replica.replicaId());
    }
    store.deleteModel(id);
    if (Artifact.isDigest(model.modelDataPath())) {
      collector.collect();
    }
    return new Message("Successfully deleted model with name '" + id.name() + "' and version '"
        + id.version() + "'");
  }

  @PostMapping("/get_all_models")
  List<?> allModels(@RequestBody(required = false) Verbose request) {
    List<Model> models = store.models();
    return Verbose.of(request)
        ? models.stream().map(this::view).toList()
        : models.stream().map(model -> model.id().toString()).toList();
  }

  @PostMapping("/get_model")
  Object model(@RequestBody ModelVersion request) {
    return store.model(id(request)).<Object>map(this::view).orElse(Map.of());
  }

  @Mutating
  @PostMapping("/set_num_replicas")
  Message setNumReplicas(@RequestBody SetNumReplicas request) {
    Model model = existing(new ModelVersion(request.modelName(), request.modelVersion()));
    int count = RequestRules.inRange(request.numReplicas(), "num_replicas", 0, MAX_REPLICAS);
    if (!model.launchesContainers()) {
      throw InvalidRequestException.invalid("Model with name '" + model.id().name()
          + "' and version '" + model.id().version() + "' has container_name "
          + Model.NO_CONTAINER + ": its replicas register themselves");
    }
    if (!store.setNumReplicas(model.id(), count)) {
      throw notFound(model.id());
    }
    supervisor.scale(model.withNumReplicas(count), count);
    return new Message("Successfully set the number of replicas of model with name '"
        + model.id().name() + "' and version '" + model.id().version() + "' to " + count);
  }

  private ModelView view(Model model) {
    return ModelView.of(model,
        store.currentVersion(model.id().name()).filter(model.id().version()::equals).isPresent());
  }

  private Model existing(ModelVersion request) {
    ModelId id = id(request);
    return store.model(id).orElseThrow(() -> notFound(id));
  }

  static ModelId id(ModelVersion request) {
    return new ModelId(required(request.modelName(), "model_name"),
        required(request.modelVersion(), "model_version"));
  }

  static NotFoundException notFound(ModelId id) {
    return new NotFoundException("Model with name '" + id.name() + "' and version '"
        + id.version() + "' does not exist");
  }
}
