package ai.clipper.frontend.cache;

import static org.assertj.core.api.Assertions.assertThat;

import ai.clipper.frontend.config.FrontendProperties;
import ai.clipper.frontend.input.QueryInput;
import ai.clipper.metadata.App;
import ai.clipper.metadata.ModelId;
import ai.clipper.sdk.InputType;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

class PredictionCacheTest {

  private static final App APP = app(InputType.DOUBLES, true);
  private static final ModelId V1 = new ModelId("sum", "1");
  private static final ModelId V2 = new ModelId("sum", "2");

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private PredictionCache cache = cache(true, DataSize.ofMegabytes(32));
  private final ModelCalls model = new ModelCalls();

  @Test
  void answersASecondIdenticalQueryFromTheCacheWithoutCallingTheModel() {
    CompletableFuture<String> first = lookup(APP, V1, new QueryInput.Doubles(new double[] {1, 2}));
    model.answer(0, "3.0");

    assertThat(first).isCompletedWithValue("3.0");
    assertThat(lookup(APP, V1, new QueryInput.Doubles(new double[] {1, 2}))).isCompletedWithValue("3.0");
    assertThat(model.calls()).isEqualTo(1);
    assertThat(count(V1, "miss")).isEqualTo(1);
    assertThat(count(V1, "hit")).isEqualTo(1);
  }

  @Test
  void coalescesConcurrentIdenticalQueriesIntoOneModelCall() {
    List<CompletableFuture<String>> answers = IntStream.range(0, 10)
        .mapToObj(i -> lookup(APP, V1, new QueryInput.Doubles(new double[] {7})))
        .toList();

    assertThat(model.calls()).isEqualTo(1);
    assertThat(answers).noneMatch(CompletableFuture::isDone);
    model.answer(0, "7.0");
    assertThat(answers).allSatisfy(answer -> assertThat(answer).isCompletedWithValue("7.0"));
    assertThat(count(V1, "miss")).isEqualTo(1);
    assertThat(count(V1, "hit")).isEqualTo(9);
  }

  @Test
  void missesForDifferentInputBytes() {
    answered(APP, V1, new QueryInput.Doubles(new double[] {1, 2}));
    answered(APP, V1, new QueryInput.Doubles(new double[] {1, 2, 0}));
    answered(APP, V1, new QueryInput.Doubles(new double[] {2, 1}));

    assertThat(model.calls()).isEqualTo(3);
  }

  @Test
  void missesForTheSameBytesOfAnotherInputType() {
    // 1.0f and the int 0x3f800000 have the same four bytes
    answered(app(InputType.FLOATS, true), V1, new QueryInput.Floats(new float[] {1f}));
    answered(app(InputType.INTS, true), V1, new QueryInput.Ints(new int[] {Float.floatToIntBits(1f)}));

    assertThat(model.calls()).isEqualTo(2);
  }

  @Test
  void aNewModelVersionNeverServesTheOldVersionsAnswer() {
    assertThat(answered(APP, V1, new QueryInput.Doubles(new double[] {1, 2}))).isEqualTo("answer 0");

    String fromVersion2 = answered(APP, V2, new QueryInput.Doubles(new double[] {1, 2}));

    assertThat(model.calls()).isEqualTo(2);
    assertThat(fromVersion2).isEqualTo("answer 1");
    assertThat(count(V2, "miss")).isEqualTo(1);
  }

  @Test
  void hitsForEqualButDistinctArrays() {
    answered(APP, V1, new QueryInput.Doubles(new double[] {4, 5}));
    answered(APP, V1, new QueryInput.Doubles(new double[] {4, 5}));
    answered(app(InputType.STRINGS, true), V1, new QueryInput.Text(new String("hello")));
    answered(app(InputType.STRINGS, true), V1, new QueryInput.Text(new String("hello")));
    answered(app(InputType.BYTES, true), V1, new QueryInput.Bytes(new byte[] {1, 2}));
    answered(app(InputType.BYTES, true), V1, new QueryInput.Bytes(new byte[] {1, 2}));

    assertThat(model.calls()).isEqualTo(3);
  }

  @Test
  void doesNotCacheAFailedModelCallAndCallsAgainNextTime() {
    CompletableFuture<String> first = lookup(APP, V1, new QueryInput.Doubles(new double[] {1}));
    model.fail(0, new IllegalStateException("boom"));
    assertThat(first).isCompletedExceptionally();

    assertThat(answered(APP, V1, new QueryInput.Doubles(new double[] {1}))).isEqualTo("answer 1");
    assertThat(model.calls()).isEqualTo(2);
  }

  @Test
  void doesNotCacheAModelCallThatFailsAtOnce() {
    AtomicInteger calls = new AtomicInteger();
    Supplier<CompletableFuture<String>> noReplica = () -> {
      calls.incrementAndGet();
      return CompletableFuture.failedFuture(new IllegalStateException("no replica"));
    };

    assertThat(cache.get(APP, V1, new QueryInput.Doubles(new double[] {1}), noReplica).output())
        .isCompletedExceptionally();
    assertThat(cache.get(APP, V1, new QueryInput.Doubles(new double[] {1}), noReplica).output())
        .isCompletedExceptionally();

    assertThat(calls).hasValue(2);
  }

  @Test
  void oneCallerGivingUpDoesNotCancelTheSharedCall() {
    CompletableFuture<String> impatient = lookup(APP, V1, new QueryInput.Doubles(new double[] {1}));
    CompletableFuture<String> patient = lookup(APP, V1, new QueryInput.Doubles(new double[] {1}));

    impatient.cancel(false);

    assertThat(model.future(0)).isNotCancelled();
    model.answer(0, "1.0");
    assertThat(patient).isCompletedWithValue("1.0");
  }

  @Test
  void saysWhetherACallerJoinedAnotherCallersCall() {
    assertThat(cache.get(APP, V1, new QueryInput.Doubles(new double[] {1}), model).joined()).isFalse();
    assertThat(cache.get(APP, V1, new QueryInput.Doubles(new double[] {1}), model).joined()).isTrue();
  }

  @Test
  void aLateAnswerFillsTheCacheAfterItsCallerGaveUp() {
    lookup(APP, V1, new QueryInput.Doubles(new double[] {1})).cancel(false);  // the caller's SLO passed

    model.answer(0, "late");

    assertThat(answered(APP, V1, new QueryInput.Doubles(new double[] {1}))).isEqualTo("late");
    assertThat(model.calls()).isEqualTo(1);
  }

  @Test
  void servesNoAppThatOptsOut() {
    assertThat(cache.serves(app(InputType.DOUBLES, false))).isFalse();
    assertThat(cache.serves(APP)).isTrue();
  }

  @Test
  void servesNoAppWhenTheCacheIsSwitchedOff() {
    cache = cache(false, DataSize.ofMegabytes(32));
    assertThat(cache.serves(APP)).isFalse();
  }

  @Test
  void evictsToStayWithinItsByteBound() {
    cache = cache(true, DataSize.ofKilobytes(1));
    String output = "x".repeat(300);
    for (int i = 0; i < 5; i++) {
      lookup(APP, V1, new QueryInput.Doubles(new double[] {i}));
      model.answer(i, output);
    }
    cache.cleanUp();

    assertThat(cache.weightedSize()).isPositive().isLessThanOrEqualTo(1024);
    for (int i = 0; i < 5; i++) {
      lookup(APP, V1, new QueryInput.Doubles(new double[] {i}));
    }
    assertThat(model.calls()).isGreaterThan(5);
  }

  @Test
  void reportsItsSizeInBytes() {
    answered(APP, V1, new QueryInput.Doubles(new double[] {1}));

    long expected = PredictionCache.ENTRY_OVERHEAD_BYTES + 8 + "sum".length() + "1".length()
        + "answer 0".length();
    assertThat(registry.get("clipper.cache.size").gauge().value()).isEqualTo(expected);
  }

  private CompletableFuture<String> lookup(App app, ModelId id, QueryInput input) {
    return cache.get(app, id, input, model).output();
  }

  /** Answers the model call at once with {@code "answer <n>"} and returns it via the cache. */
  private String answered(App app, ModelId id, QueryInput input) {
    CompletableFuture<String> answer = lookup(app, id, input);
    if (model.calls() > 0 && !model.future(model.calls() - 1).isDone()) {
      model.answer(model.calls() - 1, "answer " + (model.calls() - 1));
    }
    return answer.join();
  }

  private double count(ModelId id, String result) {
    return registry.get("clipper.cache.requests")
        .tag("model", id.toString()).tag("result", result).counter().count();
  }

  private PredictionCache cache(boolean enabled, DataSize maxSize) {
    return new PredictionCache(new FrontendProperties.Cache(enabled, maxSize), registry);
  }

  private static App app(InputType type, boolean cacheEnabled) {
    return new App("demo", type, "-1", 100_000, App.DEFAULT_POLICY, cacheEnabled);
  }

  /** A model whose calls the test completes by hand, counting them. */
  private static final class ModelCalls implements Supplier<CompletableFuture<String>> {

    private final List<CompletableFuture<String>> futures = new CopyOnWriteArrayList<>();

    @Override
    public CompletableFuture<String> get() {
      CompletableFuture<String> future = new CompletableFuture<>();
      futures.add(future);
      return future;
    }

    int calls() {
      return futures.size();
    }

    CompletableFuture<String> future(int call) {
      return futures.get(call);
    }

    void answer(int call, String output) {
      futures.get(call).complete(output);
    }

    void fail(int call, Throwable error) {
      futures.get(call).completeExceptionally(error);
    }
  }
}
