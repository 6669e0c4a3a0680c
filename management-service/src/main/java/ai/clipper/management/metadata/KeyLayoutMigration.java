package ai.clipper.management.metadata;

import ai.clipper.management.config.ManagementProperties;
import ai.clipper.metadata.RedisKeys;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

/**
 * Moves the metadata of an installation from before the hash-tag prefix ({@code clipper:apps})
 * under the current prefix ({@code {clipper}:apps}) when the service starts, before the replicas
 * are reconciled: every key is copied with its TTL (DUMP and RESTORE, so it works for any type),
 * then deleted, and the version counter goes last, so a frontend that sees it sees everything.
 * A key already present under the new prefix is kept as it is. Redis unreachable at start: tried
 * again every few seconds until it is done.
 */
@Component
class KeyLayoutMigration implements SmartLifecycle {

  private static final Logger LOG = LoggerFactory.getLogger(KeyLayoutMigration.class);
  private static final long RETRY_SECONDS = 5;

  private final StringRedisTemplate redis;
  private final RedisKeys current;
  private final RedisKeys legacy;
  private ScheduledExecutorService retries;
  private boolean running;

  @Autowired
  KeyLayoutMigration(StringRedisTemplate redis, RedisKeys keys, ManagementProperties properties) {
    this(redis, keys, properties.legacyRedisPrefix());
  }

  KeyLayoutMigration(StringRedisTemplate redis, RedisKeys keys, String legacyPrefix) {
    this.redis = redis;
    this.current = keys;
    this.legacy = legacyPrefix.isEmpty() || legacyPrefix.equals(keys.prefix())
        ? null : new RedisKeys(legacyPrefix);
  }

  /**
   * Moves every legacy key, when the legacy layout holds metadata (its version counter exists).
   *
   * @return how many keys were moved
   */
  int migrate() {
    if (legacy == null || !Boolean.TRUE.equals(redis.hasKey(legacy.version()))) {
      return 0;
    }
    List<String> found = new ArrayList<>();
    ScanOptions pattern = ScanOptions.scanOptions()
        .match(globEscaped(legacy.prefix()) + "*").count(1000).build();
    try (Cursor<String> cursor = redis.scan(pattern)) {
      cursor.forEachRemaining(found::add);
    }
    found.remove(legacy.version());
    found.add(legacy.version());
    int moved = 0;
    for (String key : found) {
      if (move(key, current.prefix() + key.substring(legacy.prefix().length()))) {
        moved++;
      }
    }
    if (moved > 0) {  // frontends reload now rather than at their next resync
      Long version = redis.opsForValue().increment(current.version());
      redis.convertAndSend(current.changes(), String.valueOf(version));
    }
    LOG.info("Moved {} metadata keys from {}* to {}*", moved, legacy.prefix(), current.prefix());
    return moved;
  }

  private boolean move(String from, String to) {
    byte[] value = redis.dump(from);
    if (value == null) {
      return false;  // gone meanwhile: another instance moved it
    }
    boolean moved = false;
    if (!Boolean.TRUE.equals(redis.hasKey(to))) {
      long ttl = redis.getExpire(from, TimeUnit.MILLISECONDS);
      redis.restore(to, value, Math.max(ttl, 0), TimeUnit.MILLISECONDS);
      moved = true;
    }
    redis.delete(from);
    return moved;
  }

  private static String globEscaped(String prefix) {
    return prefix.replaceAll("([*?\\[\\]\\\\])", "\\\\$1");
  }

  private boolean attempt() {
    try {
      migrate();
      return true;
    } catch (RuntimeException e) {
      LOG.warn("Could not move the metadata to the key layout {}* yet (retrying every {} s): {}",
          current.prefix(), RETRY_SECONDS, e.toString());
      return false;
    }
  }

  @Override
  public synchronized void start() {
    running = true;
    if (attempt()) {
      return;
    }
    ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "key-layout-migration");
      thread.setDaemon(true);
      return thread;
    });
    executor.scheduleWithFixedDelay(() -> {
      if (attempt()) {
        executor.shutdown();
      }
    }, RETRY_SECONDS, RETRY_SECONDS, TimeUnit.SECONDS);
    retries = executor;
  }

  @Override
  public synchronized void stop() {
    if (retries != null) {
      retries.shutdownNow();
    }
    running = false;
  }

  @Override
  public synchronized boolean isRunning() {
    return running;
  }

  /** Before everything that reads the metadata (the replica supervisor, the watch). */
  @Override
  public int getPhase() {
    return Integer.MIN_VALUE;
  }
}
