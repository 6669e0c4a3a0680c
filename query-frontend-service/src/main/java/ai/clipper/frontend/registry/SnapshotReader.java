package ai.clipper.frontend.registry;

import ai.clipper.metadata.App;
import ai.clipper.metadata.MetadataCodec;
import ai.clipper.metadata.Model;
import ai.clipper.metadata.ModelId;
import ai.clipper.metadata.RedisKeys;
import ai.clipper.metadata.Replica;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Reads the whole metadata layout from Redis through its index sets (never {@code KEYS *}); the
 * metadata is small, so a full read is simpler and safer than applying deltas.
 */
@Component
class SnapshotReader {

  private static final Logger LOG = LoggerFactory.getLogger(SnapshotReader.class);

  private final ReactiveStringRedisTemplate redis;
  private final RedisKeys keys;

  SnapshotReader(ReactiveStringRedisTemplate redis, RedisKeys keys) {
    this.redis = redis;
    this.keys = keys;
  }

  /** The version counter; 0 when nothing was ever written. */
  Mono<Long> version() {
    return redis.opsForValue().get(keys.version()).map(Long::parseLong).defaultIfEmpty(0L);
  }

  /**
   * Reads the version first and the data after it: a change made in between leaves a snapshot
   * newer than its version, which the next resync simply reads again.
   */
  Mono<MetadataSnapshot> read() {
    return version().flatMap(version -> Mono.zip(apps(), models(), replicas())
        .flatMap(t -> Mono.zip(links(t.getT1().keySet()), currentVersions(t.getT2().values()))
            .map(more -> new MetadataSnapshot(version, t.getT1(), more.getT1(), more.getT2(),
                t.getT2(), t.getT3()))));
  }

  private Mono<Map<String, App>> apps() {
    return decodeAll(keys.apps(), keys::app, MetadataCodec::toApp)
        .filter(app -> app.name() != null)
        .collectMap(App::name);
  }

  private Mono<Map<ModelId, Model>> models() {
    return decodeAll(keys.models(), id -> keys.model(ModelId.parse(id)), MetadataCodec::toModel)
        .collectMap(Model::id);
  }

  private Mono<Map<ModelId, List<Replica>>> replicas() {
    return decodeAll(keys.replicas(), this::replicaKey, MetadataCodec::toReplica)
        .filter(Replica::isUp)
        .sort(Comparator.comparingInt(Replica::replicaId))
        .collectMultimap(Replica::model)
        .map(byModel -> Map.copyOf(byModel.entrySet().stream().collect(
            Collectors.toMap(Map.Entry::getKey, e -> List.copyOf(e.getValue())))));
  }

  private Mono<Map<String, List<String>>> links(Set<String> apps) {
    return Flux.fromIterable(apps)
        .flatMap(app -> redis.opsForSet().members(keys.links(app)).sort().collectList()
            .map(models -> Map.entry(app, models)))
        .collectMap(Map.Entry::getKey, Map.Entry::getValue);
  }

  private Mono<Map<String, String>> currentVersions(Collection<Model> models) {
    return Flux.fromIterable(models).map(model -> model.id().name()).distinct()
        .flatMap(name -> redis.opsForValue().get(keys.currentVersion(name))
            .map(version -> Map.entry(name, version)))
        .collectMap(Map.Entry::getKey, Map.Entry::getValue);
  }

  /** {@code name:version:id} as listed in the replicas set, to the key of its hash. */
  private String replicaKey(String member) {
    int last = member.lastIndexOf(':');
    return keys.replica(ModelId.parse(member.substring(0, last)),
        Integer.parseInt(member.substring(last + 1)));
  }

  /**
   * Reads each member's hash; a missing hash is skipped, a malformed one is logged and skipped,
   * while a Redis failure fails the whole read (so a partial view is never published).
   */
  private <T> Flux<T> decodeAll(String index, Function<String, String> hashKey,
      Function<Map<String, String>, T> decode) {
    return redis.opsForSet().members(index).flatMap(member -> Mono
        .fromCallable(() -> hashKey.apply(member))
        .onErrorResume(RuntimeException.class, e -> {
          LOG.warn("Skipping malformed member {} of {}: {}", member, index, e.getMessage());
          return Mono.empty();
        })
        .flatMap(key -> redis.<String, String>opsForHash().entries(key).collectMap(
            Map.Entry::getKey, Map.Entry::getValue))
        .filter(hash -> !hash.isEmpty())
        .<T>handle((hash, sink) -> {
          try {
            T decoded = decode.apply(hash);
            sink.next(decoded);
          } catch (RuntimeException e) {
            LOG.warn("Skipping malformed metadata {} in {}: {}", member, index, e.toString());
          }
        }));
  }
}
