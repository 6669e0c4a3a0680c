package ai.clipper.frontend.registry;

import ai.clipper.frontend.config.FrontendProperties;
import ai.clipper.metadata.RedisKeys;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.util.retry.Retry;

/**
 * The live view of the metadata: reloaded whole when a change is published, and when a periodic
 * check finds the version counter moved (a missed event, a Redis restart). Redis being down keeps
 * the last view and retries; it never fails the service.
 */
@Component
public class MetadataRegistry implements SmartLifecycle {

  private static final Logger LOG = LoggerFactory.getLogger(MetadataRegistry.class);

  /** Why a reload was asked for: a change event always reloads, a tick only on a new version. */
  private enum Trigger { CHANGE_EVENT, RESYNC_TICK }

  private final SnapshotReader reader;
  private final ReactiveStringRedisTemplate redis;
  private final RedisKeys keys;
  private final FrontendProperties.Registry settings;
  private final Sinks.Many<MetadataSnapshot> updates = Sinks.many().replay().latest();
  private volatile MetadataSnapshot current = MetadataSnapshot.EMPTY;
  private volatile Disposable refreshing;

  MetadataRegistry(SnapshotReader reader, ReactiveStringRedisTemplate redis, RedisKeys keys,
      FrontendProperties properties) {
    this.reader = reader;
    this.redis = redis;
    this.keys = keys;
    this.settings = properties.registry();
    updates.tryEmitNext(current);
  }

  /** The latest snapshot: one volatile read, safe on the hot path. */
  public MetadataSnapshot current() {
    return current;
  }

  /** The current snapshot, then every new one (for the parts that keep per-replica state). */
  public Flux<MetadataSnapshot> snapshots() {
    return updates.asFlux();
  }

  @Override
  public void start() {
    // Best effort at startup so the first requests are served; the loop below retries anyway.
    reload(Trigger.CHANGE_EVENT).block(settings.readTimeout().plusSeconds(1));
    Flux<Trigger> events = Flux.defer(() -> redis.listenToChannel(keys.changes()))
        .map(message -> Trigger.CHANGE_EVENT)
        .doOnError(e -> LOG.warn("Lost the metadata change subscription: {}", e.toString()))
        .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(100))
            .maxBackoff(settings.resyncInterval()));
    Flux<Trigger> ticks = Flux.interval(settings.resyncInterval()).map(tick -> Trigger.RESYNC_TICK);
    refreshing = Flux.merge(events, ticks)
        .onBackpressureLatest()
        .concatMap(this::reload, 1)
        .subscribe();
  }

  @Override
  public void stop() {
    Disposable loop = refreshing;
    if (loop != null) {
      loop.dispose();
    }
    refreshing = null;
  }

  @Override
  public boolean isRunning() {
    return refreshing != null;
  }

  /** Before the web server and the batching layer, which read snapshots. */
  @Override
  public int getPhase() {
    return Integer.MIN_VALUE + 1000;
  }

  private Mono<Void> reload(Trigger trigger) {
    // defer: the Redis template can fail while assembling, before anything is subscribed
    Mono<MetadataSnapshot> read = Mono.defer(() -> trigger == Trigger.CHANGE_EVENT
        ? reader.read()
        : reader.version().filter(version -> version != current.version())
            .flatMap(version -> reader.read()));
    return read.timeout(settings.readTimeout())
        .doOnNext(this::publish)
        .onErrorResume(e -> {
          LOG.warn("Could not read metadata from Redis, keeping version {}: {}",
              current.version(), e.toString());
          return Mono.empty();
        })
        .then();
  }

  /** Subscribers (the batching layer) see a snapshot before requests do, so replicas are ready. */
  private synchronized void publish(MetadataSnapshot snapshot) {
    updates.tryEmitNext(snapshot);
    current = snapshot;
    LOG.debug("Metadata version {}: {} apps, {} model versions", snapshot.version(),
        snapshot.apps().size(), snapshot.models().size());
  }
}
