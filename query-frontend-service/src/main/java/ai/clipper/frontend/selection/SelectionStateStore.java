package ai.clipper.frontend.selection;

import ai.clipper.frontend.config.FrontendProperties;
import ai.clipper.metadata.RedisKeys;
import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.DefaultRedisScript;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The selection state per (app, uid) in Redis ({@link RedisKeys#selectionState}), shared by every
 * frontend. Feedback is applied by one Lua script of {@code HINCRBYFLOAT}/{@code HINCRBY}: sums
 * commute, so concurrent updates from any number of frontends are all kept (no read-modify-write)
 * and a reader never sees half of one feedback.
 *
 * <p>The predict path reads through a small in-memory cache: an entry is served for up to
 * {@code clipper.frontend.selection.state-refresh} (100 ms by default) and then refreshed in the
 * background while the stale copy keeps answering, so a query never waits on Redis except for the
 * first query of an (app, uid) this frontend sees. A frontend's own feedback drops its copy at
 * once; another frontend's feedback shows within the refresh interval.
 */
@Component
public class SelectionStateStore {

  private static final Logger LOG = LoggerFactory.getLogger(SelectionStateStore.class);

  /** {@code KEYS[1]} the state hash; {@code ARGV} pairs of model name and loss. */
  private static final RedisScript<Long> RECORD = new DefaultRedisScript<>("""
      for i = 1, #ARGV, 2 do
        redis.call('HINCRBYFLOAT', KEYS[1], ARGV[i] .. '.loss', ARGV[i + 1])
        redis.call('HINCRBY', KEYS[1], ARGV[i] .. '.count', 1)
      end
      return 1
      """, Long.class);

  private record Key(String app, int uid) {
  }

  private final ReactiveStringRedisTemplate redis;
  private final RedisKeys keys;
  private final AsyncLoadingCache<Key, SelectionState> cache;

  @Autowired
  SelectionStateStore(ReactiveStringRedisTemplate redis, RedisKeys keys,
      FrontendProperties properties) {
    this(redis, keys, properties.selection().stateRefresh(),
        properties.selection().maxCachedStates(), Ticker.systemTicker());
  }

  /** With the clock the refresh interval is measured on (a fake one in tests). */
  SelectionStateStore(ReactiveStringRedisTemplate redis, RedisKeys keys, Duration refresh,
      long maxCachedStates, Ticker ticker) {
    this.redis = redis;
    this.keys = keys;
    this.cache = Caffeine.newBuilder()
        .ticker(ticker)
        .refreshAfterWrite(refresh)
        .expireAfterAccess(Duration.ofMinutes(10))
        .maximumSize(maxCachedStates)
        .buildAsync((key, executor) -> read(key.app(), key.uid()).toFuture());
  }

  /** The state for the hot path: cached, at most the refresh interval old (see above). */
  public CompletableFuture<SelectionState> cached(String app, int uid) {
    return cache.get(new Key(app, uid)).exceptionally(e -> {
      // Redis unreachable: answer from the prior rather than failing the query.
      LOG.warn("Selection state of {} uid {} unreadable, using the prior: {}", app, uid,
          e.toString());
      return SelectionState.EMPTY;
    });
  }

  /** The state as Redis holds it now. */
  public Mono<SelectionState> read(String app, int uid) {
    return redis.<String, String>opsForHash().entries(keys.selectionState(app, uid))
        .collectMap(Map.Entry::getKey, Map.Entry::getValue)
        .map(SelectionState::fromHash);
  }

  /** Adds one feedback's loss per model name, atomically. */
  public Mono<Void> record(String app, int uid, Map<String, Double> losses) {
    if (losses.isEmpty()) {
      return Mono.empty();
    }
    List<String> args = new ArrayList<>();
    losses.forEach((model, loss) -> {
      args.add(model);
      args.add(Double.toString(loss));
    });
    return redis.execute(RECORD, List.of(keys.selectionState(app, uid)), args)
        .then()
        .doOnSuccess(done -> cache.synchronous().invalidate(new Key(app, uid)));
  }
}
