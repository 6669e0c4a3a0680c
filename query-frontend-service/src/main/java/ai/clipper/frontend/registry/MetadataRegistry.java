package ai.clipper.frontend.registry;

import ai.clipper.frontend.config.FrontendProperties;
import ai.clipper.metadata.MetadataFreshness;
import ai.clipper.metadata.RedisKeys;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.util.retry.Retry;

/**
 * The live view of the metadata: reloaded whole when a change is published, and when a periodic
 * check finds the version counter moved (a missed event, a Redis restart). Redis being down, or
 * back with a lower counter (its data lost or replaced), keeps the last good view and marks it
 * stale ({@link MetadataFreshness}); it never drops routes because Redis looks empty, and never
 * fails the service.
 */
@Component
public class MetadataRegistry implements SmartLifecycle {

  private static final Logger LOG = LoggerFactory.getLogger(MetadataRegistry.class);

  private final SnapshotReader reader;
  private final ReactiveStringRedisTemplate redis;
  private final RedisKeys keys;
  private final FrontendProperties.Registry settings;
  private final MetadataFreshness freshness;
  private final Sinks.Many<MetadataSnapshot> updates = Sinks.many().replay().latest();
  private volatile MetadataSnapshot current = MetadataSnapshot.EMPTY;
  private volatile Disposable refreshing;

  MetadataRegistry(SnapshotReader reader, ReactiveStringRedisTemplate redis, RedisKeys keys,
      FrontendProperties properties, Clock clock) {
    this.reader = reader;
    this.redis = redis;
    this.keys = keys;
    this.settings = properties.registry();
    this.freshness = new MetadataFreshness(clock, new MetadataFreshness.Listener() {
      @Override
      public void turnedStale(MetadataFreshness.Stale stale) {
        LOG.warn("Serving the last good metadata (version {}), marked stale: {}",
            stale.appliedVersion(), stale.reason());
      }

      @Override
      public void turnedFresh(long version) {
        LOG.info("Metadata follows Redis again, at version {}", version);
      }
    });
    updates.tryEmitNext(current);
  }

  /** The latest snapshot: one volatile read, safe on the hot path. */
  public MetadataSnapshot current() {
    return current;
  }

  /** Present while the snapshot in use may not be what Redis holds: why, and since when. */
  public Optional<MetadataFreshness.Stale> stale() {
    return freshness.stale();
  }

  /** The current snapshot, then every new one (for the parts that keep per-replica state). */
  public Flux<MetadataSnapshot> snapshots() {
    return updates.asFlux();
  }

  @Override
  public void start() {
    // Best effort at startup so the first requests are served; the loop below retries anyway.
    reload().block(settings.readTimeout().plusSeconds(1));
    // Redis down is reported once, by the freshness; the subscription just keeps retrying.
    Flux<String> events = Flux.defer(() -> redis.listenToChannel(keys.changes()))
        .map(message -> "change event")
        .doOnError(e -> LOG.debug("Lost the metadata change subscription: {}", e.toString()))
        .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(100))
            .maxBackoff(settings.resyncInterval()));
    Flux<String> ticks = Flux.interval(settings.resyncInterval()).map(tick -> "resync tick");
    refreshing = Flux.merge(events, ticks)
        .onBackpressureLatest()
        .concatMap(trigger -> reload(), 1)
        .subscribe();
  }

  /**
   * Stops refreshing as soon as the service begins to close: the queries still draining answer
   * from the snapshot they have, and Redis's connections, closed before this bean stops, are not
   * mistaken for Redis being unreachable.
   */
  @EventListener(ContextClosedEvent.class)
  void closing() {
    stop();
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

  /** Reads the whole metadata when the counter says there is something new to apply. */
  private Mono<Void> reload() {
    // defer: the Redis template can fail while assembling, before anything is subscribed
    Mono<MetadataSnapshot> read = Mono.defer(() -> reader.version()
        .filter(freshness::observe)
        .flatMap(version -> reader.read()));
    return read.timeout(settings.readTimeout())
        .doOnNext(this::publish)
        .onErrorResume(e -> {
          freshness.unreachable(e.toString());
          LOG.debug("Could not read metadata from Redis, keeping version {}: {}",
              current.version(), e.toString());
          return Mono.empty();
        })
        .then();
  }

  /** Subscribers (the batching layer) see a snapshot before requests do, so replicas are ready. */
  private synchronized void publish(MetadataSnapshot snapshot) {
    updates.tryEmitNext(snapshot);
    current = snapshot;
    freshness.applied(snapshot.version());
    LOG.debug("Metadata version {}: {} apps, {} model versions", snapshot.version(),
        snapshot.apps().size(), snapshot.models().size());
  }
}
