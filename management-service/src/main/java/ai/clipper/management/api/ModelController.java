package ai.clipper.management.api;

import static ai.clipper.management.api.RequestRules.required;

import ai.clipper.management.api.AdminRequests.AddModel;
import ai.clipper.management.api.AdminRequests.ModelVersion;
import ai.clipper.management.api.AdminRequests.SetNumReplicas;
import ai.clipper.management.api.AdminRequests.Verbose;
import ai.clipper.management.api.AdminViews.Message;
import ai.clipper.management.api.AdminViews.ModelView;
import ai.clipper.management.models.ModelService;
import ai.clipper.metadata.Model;
import ai.clipper.metadata.ModelId;
import ai.clipper.sdk.InputType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Clipper's admin endpoints for model versions, plus {@code set_num_replicas}: HTTP only. Adding
 * a model launches one replica (none for {@code NO_CONTAINER}).
 */
@RestController
@RequestMapping("/admin")
class ModelController {

  static final int MAX_REPLICAS = 32;
  static final long MAX_BATCH_WAIT_MICROS = 1_000_000;

  private final ModelService models;

  ModelController(ModelService models) {
    this.models = models;
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
    models.add(model);
    return new Message("Successfully added model with name '" + id.name() + "' and input type '"
        + model.inputType() + "'");
  }

  @Mutating
  @PostMapping("/set_model_version")
  Message setVersion(@RequestBody ModelVersion request) {
    ModelId id = id(request);
    models.setCurrentVersion(id);
    return new Message("Successfully set model with name '" + id.name() + "' to version '"
        + id.version() + "'");
  }

  @Mutating
  @PostMapping("/delete_versioned_model")
  Message deleteVersion(@RequestBody ModelVersion request) {
    ModelId id = id(request);
    models.delete(id);
    return new Message("Successfully deleted model with name '" + id.name() + "' and version '"
        + id.version() + "'");
  }

  @PostMapping("/get_all_models")
  List<?> allModels(@RequestBody(required = false) Verbose request) {
    List<Model> all = models.all();
    return Verbose.of(request)
        ? all.stream().map(this::view).toList()
        : all.stream().map(model -> model.id().toString()).toList();
  }

  @PostMapping("/get_model")
  Object model(@RequestBody ModelVersion request) {
    return models.find(id(request)).<Object>map(this::view).orElse(Map.of());
  }

  @Mutating
  @PostMapping("/set_num_replicas")
  Message setNumReplicas(@RequestBody SetNumReplicas request) {
    Model model = models.existing(id(new ModelVersion(request.modelName(),
        request.modelVersion())));
    int count = RequestRules.inRange(request.numReplicas(), "num_replicas", 0, MAX_REPLICAS);
    models.setNumReplicas(model, count);
    return new Message("Successfully set the number of replicas of model with name '"
        + model.id().name() + "' and version '" + model.id().version() + "' to " + count);
  }

  private ModelView view(Model model) {
    return ModelView.of(model, models.isCurrent(model.id()));
  }

  static ModelId id(ModelVersion request) {
    return new ModelId(required(request.modelName(), "model_name"),
        required(request.modelVersion(), "model_version"));
  }
}
