package ai.clipper.frontend.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.clipper.frontend.TestRedis;
import ai.clipper.frontend.VirtualTime;
import ai.clipper.frontend.batching.QueryQueue;
import ai.clipper.frontend.cache.PredictionCache;
import ai.clipper.frontend.config.FrontendProperties;
import ai.clipper.frontend.input.QueryInput;
import ai.clipper.frontend.metrics.MeterNames;
import ai.clipper.frontend.registry.MetadataSnapshot;
import ai.clipper.frontend.selection.Selectors;
import ai.clipper.frontend.tracing.CallTiming;
import ai.clipper.frontend.tracing.RequestTrace;
import ai.clipper.metadata.App;
import ai.clipper.metadata.Model;
import ai.clipper.metadata.ModelId;
import ai.clipper.sdk.InputType;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.util.unit.DataSize;

/**
 * What a client of any API sees of a query: the selected model's answer, or the app's default
 * when the SLO (counted from the request's arrival) passes first, in virtual time; the model is a
 * queue the test answers by hand, the selection state a real Redis.
 */
class QueryPipelineTest {

  private static final ModelId M1 = new ModelId("m", "1");
  private static final ModelId M2 = new ModelId("m", "2");
  private static final ModelId N1 = new ModelId("n", "1");
  private static final long SLO_MICROS = 20_000;

  @RegisterExtension
  static final TestRedis redis = new TestRedis();

  private final VirtualTime time = new VirtualTime();
  private final HandQueue model = new HandQueue();
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final QueryPipeline pipeline = pipeline();

  @Test
  void answersWithTheCurrentVersionOfTheAppsLinkedModel() {
    CompletableFuture<List<Prediction>> answer = predict(app("single"), query(input(1)));

    assertThat(model.asked()).containsExactly(M2);
    model.answer(0, "42");
    assertThat(answer.join()).singleElement().satisfies(prediction -> {
      assertThat(prediction.output()).isEqualTo("42");
      assertThat(prediction.isDefault()).isFalse();
      assertThat(prediction.model()).isEqualTo("m:2");
    });
    assertThat(predictions("a", false)).isEqualTo(1);
  }

  @Test
  void answersTheAppsDefaultWhenTheSloPassesBeforeTheModelAnswers() {
    CompletableFuture<List<Prediction>> answer = predict(app("single"), query(input(1)));

    time.advance(Duration.ofMillis(19));
    assertThat(answer).isNotDone();
    time.advance(Duration.ofMillis(1));
    assertThat(answer).isDone();
    Prediction prediction = answer.join().get(0);
    assertThat(prediction.output()).isEqualTo("-1");
    assertThat(prediction.reason()).isEqualTo(Prediction.DefaultReason.SLO);
    assertThat(prediction.explanation()).isEqualTo(Prediction.SLO_MISSED);
    assertThat(predictions("a", true)).isEqualTo(1);
    assertThat(meters.get(MeterNames.DEFAULTS).tag("reason", "slo").counter().count())
        .isEqualTo(1);
  }

  @Test
  void theSloCountsFromTheRequestsArrivalNotFromWhenThePipelineIsCalled() {
    Query query = query(input(1));
    time.advance(Duration.ofMillis(15));  // parsing, a slow event loop
    CompletableFuture<List<Prediction>> answer = predict(app("single"), query);

    time.advance(Duration.ofMillis(4));
    assertThat(answer).isNotDone();
    time.advance(Duration.ofMillis(1));
    assertThat(answer.join().get(0).reason()).isEqualTo(Prediction.DefaultReason.SLO);
  }

  @Test
  void aClientTimeoutShorterThanTheSloBringsTheDefaultSooner() {
    CompletableFuture<List<Prediction>> answer = predict(app("single"),
        queryWithTimeout(Duration.ofMillis(5), input(1)));

    time.advance(Duration.ofMillis(5));
    assertThat(answer.join().get(0).reason()).isEqualTo(Prediction.DefaultReason.SLO);
    assertThat(model.deadlines()).containsExactly(VirtualTime.T0.plusMillis(5));
  }

  @Test
  void aClientTimeoutLongerThanTheSloDoesNotLengthenIt() {
    CompletableFuture<List<Prediction>> answer = predict(app("single"),
        queryWithTimeout(Duration.ofSeconds(5), input(1)));

    time.advance(Duration.ofMillis(20));
    assertThat(answer.join().get(0).isDefault()).isTrue();
    assertThat(model.deadlines()).containsExactly(VirtualTime.T0.plusMillis(20));
  }

  @Test
  void answersEveryInputInInputOrderWhateverOrderTheModelAnswersIn() {
    CompletableFuture<List<Prediction>> answer = predict(app("single"),
        query(input(1), input(2), input(3)));

    assertThat(model.asked()).hasSize(3);
    model.answer(2, "three");
    model.answer(0, "one");
    assertThat(answer).isNotDone();
    model.answer(1, "two");
    assertThat(answer.join()).extracting(Prediction::output)
        .containsExactly("one", "two", "three");
  }

  @Test
  void aRepeatedInputIsAnsweredFromTheCacheWithoutAskingTheModelAgain() {
    CompletableFuture<List<Prediction>> first = predict(app("single"), query(input(7)));
    model.answer(0, "49");
    assertThat(first.join().get(0).output()).isEqualTo("49");

    CompletableFuture<List<Prediction>> again = predict(app("single"), query(input(7)));

    assertThat(again).isDone();
    assertThat(again.join().get(0).output()).isEqualTo("49");
    assertThat(again.join().get(0).isDefault()).isFalse();
    assertThat(model.asked()).hasSize(1);
  }

  @Test
  void anAppLinkedToNoModelAnswersItsDefaultAtOnceWithoutAskingAny() {
    App lonely = new App("lonely", InputType.DOUBLES, "-1", SLO_MICROS, "single", true);

    CompletableFuture<List<Prediction>> answer = predict(lonely, query(input(1)));

    assertThat(answer).isDone();
    Prediction prediction = answer.join().get(0);
    assertThat(prediction.output()).isEqualTo("-1");
    assertThat(prediction.reason()).isEqualTo(Prediction.DefaultReason.NO_MODEL);
    assertThat(prediction.explanation()).isEqualTo(Prediction.NO_CONNECTED_MODELS);
    assertThat(model.asked()).isEmpty();
  }

  @Test
  void aPinnedVersionIsAskedEvenWhenItIsNotTheCurrentOne() {
    CompletableFuture<List<Prediction>> answer = predict(app("single"),
        queryOfVersion("1", input(1)));

    assertThat(model.asked()).containsExactly(M1);
    model.answer(0, "old");
    assertThat(answer.join().get(0).model()).isEqualTo("m:1");
  }

  @Test
  void aPinnedVersionTheModelLacksIsAnUnknownVersion() {
    Throwable failure = failure(() -> predict(app("single"), queryOfVersion("9", input(1))));

    assertThat(failure).isInstanceOf(UnknownVersionException.class)
        .hasMessage("Requested version: 9 does not exist for model: m");
    assertThat(model.asked()).isEmpty();
  }

  @Test
  void pinningAVersionUnderAPolicyOtherThanSingleIsAnInvalidQuery() {
    Throwable failure = failure(() -> predict(app("exp4"), queryOfVersion("1", input(1))));

    assertThat(failure).isExactlyInstanceOf(InvalidQueryException.class)
        .hasMessageContaining("single").hasMessageContaining("exp4");
  }

  @Test
  void anAppWithAPolicyThisFrontendDoesNotKnowIsAnInvalidQuery() {
    Throwable failure = failure(() -> predict(app("no-such-policy"), query(input(1))));

    assertThat(failure).isExactlyInstanceOf(InvalidQueryException.class)
        .hasMessageContaining("no-such-policy");
  }

  @Test
  void anEnsembleCombinesWhatArrivedByTheSloAndNamesTheModelThatDidNot() {
    CompletableFuture<List<Prediction>> answer = predict(app("exp4"), query(input(1)));
    // the ensemble's state is read from Redis first, on Redis's thread
    await().atMost(Duration.ofSeconds(5)).until(() -> model.asked().size() == 2);
    assertThat(model.asked()).containsExactlyInAnyOrder(M2, N1);

    model.answer(model.asked().indexOf(M2), "5");
    time.advance(Duration.ofMillis(20));

    Prediction prediction = answer.join().get(0);
    assertThat(prediction.isDefault()).isFalse();
    assertThat(prediction.output()).isEqualTo("5");
    assertThat(prediction.models()).containsExactly("m:2");
    assertThat(prediction.missingModels()).containsExactly("n:1");
  }

  private CompletableFuture<List<Prediction>> predict(App app, Query query) {
    return pipeline.predict(snapshot(), app, query, time.scheduler(), RequestTrace.untraced());
  }

  private QueryPipeline pipeline() {
    ModelCall call = new ModelCall(model,
        new PredictionCache(new FrontendProperties.Cache(true, DataSize.ofMegabytes(1)), meters),
        new SloGuard(time.clock()), time.clock());
    return new QueryPipeline(Selectors.on(redis.template(), "pipeline-test:"), call,
        new Ensemble(call),
        new PredictionMetrics(meters), time.clock());
  }

  /** App {@code a} links {@code m} (current version 2, also 1) and {@code n} (version 1). */
  private static MetadataSnapshot snapshot() {
    return new MetadataSnapshot(1, Map.of(), Map.of("a", List.of("m", "n")),
        Map.of("m", "2", "n", "1"),
        Map.of(M1, model(M1), M2, model(M2), N1, model(N1)), Map.of());
  }

  private static Model model(ModelId id) {
    return new Model(id, InputType.DOUBLES, List.of(), Model.NO_CONTAINER, "", -1, 0, 1, Map.of());
  }

  private static App app(String policy) {
    return new App("a", InputType.DOUBLES, "-1", SLO_MICROS, policy, true);
  }

  private static QueryInput input(double value) {
    return new QueryInput.Doubles(new double[] {value});
  }

  private static Query query(QueryInput... inputs) {
    return new Query(List.of(inputs), Optional.empty(), 0, VirtualTime.T0);
  }

  private static Query queryOfVersion(String version, QueryInput... inputs) {
    return new Query(List.of(inputs), Optional.of(version), 0, VirtualTime.T0);
  }

  private static Query queryWithTimeout(Duration timeout, QueryInput... inputs) {
    return new Query(List.of(inputs), Optional.empty(), 0, VirtualTime.T0, Optional.of(timeout));
  }

  private double predictions(String app, boolean isDefault) {
    return meters.get(MeterNames.PREDICTIONS).tag("app", app)
        .tag("default", Boolean.toString(isDefault)).counter().count();
  }

  /** What the caller meets: the exception thrown, or the one the answer failed with. */
  private static Throwable failure(Supplier<CompletableFuture<?>> call) {
    CompletableFuture<?> answer;
    try {
      answer = call.get();
    } catch (RuntimeException thrown) {
      return thrown;
    }
    try {
      answer.join();
    } catch (CompletionException e) {
      return e.getCause();
    }
    throw new AssertionError("expected a failure, got " + answer.join());
  }

  /** The model's replicas as a queue: records each query, the test answers it by hand. */
  private static final class HandQueue implements QueryQueue {

    private record Asked(ModelId model, Instant deadline, CompletableFuture<String> output) {
    }

    private final List<Asked> asked = new CopyOnWriteArrayList<>();

    @Override
    public CompletableFuture<String> submit(ModelId model, QueryInput input, Instant deadline,
        CallTiming timing) {
      CompletableFuture<String> output = new CompletableFuture<>();
      asked.add(new Asked(model, deadline, output));
      return output;
    }

    List<ModelId> asked() {
      return asked.stream().map(Asked::model).toList();
    }

    List<Instant> deadlines() {
      return asked.stream().map(Asked::deadline).toList();
    }

    void answer(int query, String output) {
      asked.get(query).output().complete(output);
    }
  }
}
