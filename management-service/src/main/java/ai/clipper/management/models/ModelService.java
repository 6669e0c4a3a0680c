package ai.clipper.management.models;

import ai.clipper.management.artifacts.Artifact;
import ai.clipper.management.artifacts.ArtifactCollector;
import ai.clipper.management.artifacts.ArtifactStore;
import ai.clipper.management.domain.ConflictException;
import ai.clipper.management.domain.NotFoundException;
import ai.clipper.management.domain.RuleViolationException;
import ai.clipper.management.launcher.ReplicaScaler;
import ai.clipper.management.metadata.MetadataStore;
import ai.clipper.metadata.Model;
import ai.clipper.metadata.ModelId;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.springframework.stereotype.Service;

/**
 * The rules of model versions: a version added under a name has the input type of every app
 * linked to that name (checked by the store atomically with the add), adding one makes it current
 * and launches its replicas, deleting one stops them and forgets their records with it.
 */
@Service
public class ModelService {

  private final MetadataStore store;
  private final ReplicaScaler scaler;
  private final ArtifactStore artifacts;
  private final ArtifactCollector collector;

  ModelService(MetadataStore store, ReplicaScaler scaler, ArtifactStore artifacts,
      ArtifactCollector collector) {
    this.store = store;
    this.scaler = scaler;
    this.artifacts = artifacts;
    this.collector = collector;
  }

  /**
   * Adds the version, makes it current and launches its replicas; the call returns once they are
   * started, without waiting for them to be UP.
   */
  public void add(Model model) {
    if (model.launchesContainers()) {
      scaler.check(model);
    }
    BooleanSupplier write = () -> {
      store.addModel(model).ifPresent(refusal -> {
        ModelId id = model.id();
        throw switch (refusal.reason()) {
          case INCOMPATIBLE_INPUT_TYPE -> new ConflictException("Model with name '" + id.name()
              + "' is linked to application '" + refusal.subject() + "' with incompatible"
              + " input_type " + refusal.inputType() + ". Requested input_type: "
              + model.inputType());
          case EXISTS -> new ConflictException("model with name '" + id.name()
              + "' and version '" + id.version() + "' already exists");
          default -> new IllegalStateException("Unexpected refusal " + refusal);
        };
      });
      return true;
    };
    // a model that names an artifact claims it, so no concurrent delete collects it
    if (Artifact.isDigest(model.modelDataPath())) {
      artifacts.claim(model.modelDataPath(), write);
    } else {
      write.getAsBoolean();
    }
    scaler.scale(model, model.numReplicas());
  }

  /** Makes the version current. */
  public void setCurrentVersion(ModelId id) {
    if (!store.setCurrentVersion(id)) {
      throw new NotFoundException("Cannot set non-existent version '" + id.version()
          + "' for model with name '" + id.name() + "'");
    }
  }

  /**
   * Stops the version's replicas, then deletes it with every replica's record (self-registered
   * ones too), and its artifact when no other version uses it.
   */
  public void delete(ModelId id) {
    Model model = existing(id);
    scaler.stopAll(id);
    if (!store.deleteModel(id)) {
      throw notFound(id);
    }
    if (Artifact.isDigest(model.modelDataPath())) {
      collector.collect();
    }
  }

  /** Keeps {@code count} launched replicas of the version; not for self-registering models. */
  public void setNumReplicas(Model model, int count) {
    if (!model.launchesContainers()) {
      throw new RuleViolationException("Model with name '" + model.id().name()
          + "' and version '" + model.id().version() + "' has container_name "
          + Model.NO_CONTAINER + ": its replicas register themselves");
    }
    if (!store.setNumReplicas(model.id(), count)) {
      throw notFound(model.id());
    }
    scaler.scale(model.withNumReplicas(count), count);
  }

  public List<Model> all() {
    return store.models();
  }

  public Optional<Model> find(ModelId id) {
    return store.model(id);
  }

  /** The version; 404 when it does not exist. */
  public Model existing(ModelId id) {
    return store.model(id).orElseThrow(() -> notFound(id));
  }

  /** Whether the version is its model's current one. */
  public boolean isCurrent(ModelId id) {
    return store.currentVersion(id.name()).filter(id.version()::equals).isPresent();
  }

  /** The 404 of a model version that does not exist. */
  public static NotFoundException notFound(ModelId id) {
    return new NotFoundException("Model with name '" + id.name() + "' and version '"
        + id.version() + "' does not exist");
  }
}
