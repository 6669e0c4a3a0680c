package ai.clipper.frontend.selection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import ai.clipper.frontend.TestRedis;
import ai.clipper.metadata.RedisKeys;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The selection state in a real Redis: atomic feedback from many writers at once. */
class SelectionStateStoreTest {

  @RegisterExtension
  static final TestRedis redis = new TestRedis();

  private static SelectionStateStore store(Duration refresh) {
    return store(refresh, Ticker.systemTicker());
  }

  private static SelectionStateStore store(Duration refresh, Ticker ticker) {
    return new SelectionStateStore(redis.template(), new RedisKeys("store-test:"), refresh, 1000,
        ticker);
  }

  @Test
  void concurrentFeedbackFromManyWritersLosesNothing() throws Exception {
    // two stores stand for two frontends sharing the Redis
    List<SelectionStateStore> frontends = List.of(store(Duration.ofMillis(100)),
        store(Duration.ofMillis(100)));
    ExecutorService pool = Executors.newFixedThreadPool(16);
    List<Future<?>> writes = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      SelectionStateStore store = frontends.get(i % 2);
      double lossOfB = i % 4 == 0 ? 1 : 0;
      writes.add(pool.submit(() -> store.record("app", 0, Map.of("a", 0.25, "b", lossOfB))
          .block(Duration.ofSeconds(10))));
    }
    for (Future<?> write : writes) {
      write.get();
    }
    pool.shutdown();

    for (SelectionStateStore store : frontends) {
      SelectionState state = store.read("app", 0).block();
      assertThat(state.of("a").count()).isEqualTo(2000);
      assertThat(state.of("a").lossSum()).isCloseTo(500, within(1e-9));
      assertThat(state.of("b").count()).isEqualTo(2000);
      assertThat(state.of("b").lossSum()).isCloseTo(500, within(1e-9));
    }
  }

  @Test
  void keepsStatePerUidAndStartsNewUidsFromThePrior() {
    SelectionStateStore store = store(Duration.ofMillis(100));

    store.record("per-user", 1, Map.of("a", 1.0)).block();
    store.record("per-user", 2, Map.of("b", 1.0)).block();

    assertThat(store.read("per-user", 1).block().of("a").lossSum()).isEqualTo(1);
    assertThat(store.read("per-user", 1).block().of("b").count()).isZero();
    assertThat(store.read("per-user", 2).block().of("b").lossSum()).isEqualTo(1);
    assertThat(store.read("per-user", 3).block()).isEqualTo(SelectionState.EMPTY);
  }

  @Test
  void theCachedViewSeesItsOwnFeedbackAtOnceAndAnotherFrontendsWithinTheRefresh() {
    AtomicLong nanos = new AtomicLong();
    SelectionStateStore mine = store(Duration.ofMillis(100), nanos::get);
    SelectionStateStore other = store(Duration.ofMillis(100));
    assertThat(mine.cached("cached", 0).join()).isEqualTo(SelectionState.EMPTY);

    mine.record("cached", 0, Map.of("a", 1.0)).block();
    assertThat(mine.cached("cached", 0).join().of("a").count()).isEqualTo(1);

    other.record("cached", 0, Map.of("a", 1.0)).block();
    nanos.addAndGet(Duration.ofMillis(99).toNanos());
    assertThat(mine.cached("cached", 0).join().of("a").count())
        .as("within the refresh interval, the cached view").isEqualTo(1);

    nanos.addAndGet(Duration.ofMillis(2).toNanos());
    // past the interval, a read triggers the refresh from Redis, which completes asynchronously
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
        assertThat(mine.cached("cached", 0).join().of("a").count()).isEqualTo(2));
  }
}
