package ai.clipper.frontend.registry;

import ai.clipper.metadata.App;
import ai.clipper.metadata.Model;
import ai.clipper.metadata.ModelId;
import ai.clipper.metadata.Replica;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One immutable view of the metadata in Redis, swapped whole on every reload so the hot path
 * reads it without locks.
 *
 * @param version the Redis version counter this view was read at (-1 before the first read)
 * @param apps apps by name
 * @param links the model names linked to each app, sorted
 * @param currentVersions the current version of each model name
 * @param models every model version
 * @param upReplicas the UP replicas of each model version
 */
public record MetadataSnapshot(
    long version,
    Map<String, App> apps,
    Map<String, List<String>> links,
    Map<String, String> currentVersions,
    Map<ModelId, Model> models,
    Map<ModelId, List<Replica>> upReplicas) {

  /** What the frontend knows before it has read Redis once. */
  public static final MetadataSnapshot EMPTY =
      new MetadataSnapshot(-1, Map.of(), Map.of(), Map.of(), Map.of(), Map.of());

  public MetadataSnapshot {
    apps = Map.copyOf(apps);
    links = Map.copyOf(links);
    currentVersions = Map.copyOf(currentVersions);
    models = Map.copyOf(models);
    upReplicas = Map.copyOf(upReplicas);
  }

  public Optional<App> app(String name) {
    return Optional.ofNullable(apps.get(name));
  }

  /** The model names linked to {@code app}, in sorted order. */
  public List<String> linkedModels(String app) {
    return links.getOrDefault(app, List.of());
  }

  public Optional<String> currentVersion(String modelName) {
    return Optional.ofNullable(currentVersions.get(modelName));
  }

  public Optional<Model> model(ModelId id) {
    return Optional.ofNullable(models.get(id));
  }

  public List<Replica> upReplicas(ModelId id) {
    return upReplicas.getOrDefault(id, List.of());
  }
}
