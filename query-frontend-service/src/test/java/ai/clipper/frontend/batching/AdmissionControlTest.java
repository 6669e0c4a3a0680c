package ai.clipper.frontend.batching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.clipper.frontend.input.QueryInput;
import ai.clipper.sdk.InputType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Admission control on virtual time, against a simulated model that takes 1 ms + 0.05 ms per
 * item for a batch (java-sleep's cost): offered three times what it can serve within a 20 ms
 * SLO, the queue answers the excess at once and serves the rest within their deadlines.
 */
class AdmissionControlTest {

  private static final Duration SLO = Duration.ofMillis(20);
  private static final Duration BUDGET = SLO.dividedBy(2);
  private static final long FIXED_NANOS = 1_000_000;
  private static final long PER_ITEM_NANOS = 50_000;

  private final Fixture fixture = new Fixture();
  private final SimulatedModel model = new SimulatedModel();

  /** What became of each offered query, observed on the virtual clock. */
  private record Outcome(Instant offered, Instant deadline, CompletableFuture<String> output,
      boolean shedAtOnce, Instant[] finished) {
  }

  @Test
  void aQueueAtThreeTimesItsServiceRateShedsTheExcessAtOnceAndServesTheRestInTime() {
    BatchQueue queue = fixture.queue(1, Duration.ZERO, BUDGET, 100_000);
    fixture.worker("r1", queue, model, 1).start();
    // Batch size 1: one query per 1.05 ms, 952/s. Offered: 3 x 952/s for 2 s.
    Duration interval = Duration.ofNanos((FIXED_NANOS + PER_ITEM_NANOS) / 3);

    List<Outcome> outcomes = drive(queue, interval, Duration.ofSeconds(2));

    Tally tally = Tally.of(outcomes);
    assertThat(tally.late).isZero();
    assertThat(tally.served).isGreaterThan((int) (0.9 * 2 * 952));
    assertThat(tally.shedAtOnce).isGreaterThan((int) (0.6 * outcomes.size()));
    // The few queries admitted that still could not make it were answered before their deadline.
    assertThat(tally.failedAtDeadline).isZero();
  }

  @Test
  void anAdaptivelyBatchedQueueFarOverItsCapacityServesOnlyWhatMeetsTheDeadline() {
    BatchQueue queue = fixture.queue(256, Duration.ZERO, BUDGET, 100_000);
    fixture.worker("r1", queue, model, 1).start();
    // Up to ~170 items fit a 10 ms budget: ~17k/s at most. Offered: 50k/s for 1 s.
    List<Outcome> outcomes = drive(queue, Duration.ofNanos(20_000), Duration.ofSeconds(1));

    Tally tally = Tally.of(outcomes);
    assertThat(tally.late).isZero();
    assertThat(tally.failedAtDeadline).isZero();
    assertThat(tally.served).isGreaterThan(8_000);
    assertThat(tally.shedAtOnce).isGreaterThan(outcomes.size() / 2);
  }

  @Test
  void belowCapacityNothingIsShed() {
    BatchQueue queue = fixture.queue(1, Duration.ZERO, BUDGET, 100_000);
    fixture.worker("r1", queue, model, 1).start();
    List<Outcome> outcomes = drive(queue, Duration.ofMillis(2), Duration.ofSeconds(1));

    Tally tally = Tally.of(outcomes);
    assertThat(tally.served).isEqualTo(outcomes.size());
  }

  @Test
  void anIdleReplicaTakesTheNextQueryEvenFromAModelTooSlowForTheSlo() {
    BatchQueue queue = fixture.queue(1, Duration.ZERO, BUDGET, 100_000);
    fixture.worker("r1", queue, model, 1).start();
    for (int batch = 0; batch < ServiceTime.MIN_BATCHES; batch++) {
      queue.capacity().service().observe(1, Duration.ofMillis(400).toNanos());  // far too slow
    }

    Instant now = fixture.clock.instant();
    PendingQuery probe = queue.offer(new QueryInput.Doubles(new double[] {1}), now.plus(SLO), now, Fixture.timing());

    assertThat(probe.isDone()).isFalse();
    assertThat(model.sent).isEqualTo(1);  // the model is probed and seen when it recovers
  }

  @Test
  void aReplicasSlowFirstBatchDoesNotShedTheQueriesBehindIt() {
    BatchQueue queue = fixture.queue(1, Duration.ZERO, BUDGET, 100_000);
    fixture.worker("r1", queue, model, 1).start();
    model.firstLatency = SLO.multipliedBy(4);  // a cold model: connection set-up, lazy loading
    Instant now = fixture.clock.instant();
    PendingQuery cold = queue.offer(new QueryInput.Doubles(new double[] {1}), now.plus(SLO.multipliedBy(10)), now,
        Fixture.timing());
    fixture.advance(SLO.multipliedBy(5));
    assertThat(cold.output()).isCompletedWithValue("ok");

    now = fixture.clock.instant();
    List<PendingQuery> burst = new ArrayList<>();
    for (int i = 0; i < 5; i++) {  // all but the first wait for the replica, 1.05 ms each
      burst.add(queue.offer(new QueryInput.Doubles(new double[] {i}), now.plus(SLO), now, Fixture.timing()));
    }
    fixture.advance(SLO);

    assertThat(burst).allSatisfy(query -> assertThat(query.output()).isCompletedWithValue("ok"));
  }

  @Test
  void aReplicaWithAFreeSlotNeverSeesAQueryShedHoweverSlowTheEstimate() {
    BatchQueue queue = fixture.queue(1, Duration.ZERO, BUDGET, 100_000);
    fixture.worker("r1", queue, model, 1).start();
    poison(queue, Duration.ofMillis(400));  // an estimate far beyond the SLO

    // One query every 5 ms: each finds the replica free, whatever the estimate says.
    List<Outcome> outcomes = drive(queue, Duration.ofMillis(5), Duration.ofMillis(500));

    Tally tally = Tally.of(outcomes);
    assertThat(tally.shedAtOnce).isZero();
    assertThat(tally.served).isEqualTo(outcomes.size());
  }

  @Test
  void anEstimateTenTimesTooSlowRecoversWithinASecondOfSustainedLoad() {
    BatchQueue queue = fixture.queue(1, Duration.ZERO, BUDGET, 100_000);
    fixture.worker("r1", queue, model, 1).start();
    poison(queue, Duration.ofNanos(10 * (FIXED_NANOS + PER_ITEM_NANOS)));
    Duration interval = Duration.ofNanos((FIXED_NANOS + PER_ITEM_NANOS) / 3);

    drive(queue, interval, Duration.ofSeconds(1));
    assertThat(queue.capacity().service().nanos(1))
        .isBetween(FIXED_NANOS, (FIXED_NANOS + PER_ITEM_NANOS) * 12 / 10);
    // The next second serves at the model's rate (952/s), none late.
    Tally tally = Tally.of(drive(queue, interval, Duration.ofSeconds(1)));
    assertThat(tally.served).isGreaterThan((int) (0.9 * 952));
    assertThat(tally.late).isZero();
  }

  @Test
  void theServiceTimeUsedForAdmissionIgnoresTheFrontendsOwnDelay() {
    BatchQueue queue = fixture.queue(1, Duration.ZERO, BUDGET, 100_000);
    fixture.worker("r1", queue, model, 1).start();
    // A busy event loop reads each answer 0 to 10 ms late: the round trip is up to ten times
    // the model's time, but the container says what the model took.
    model.delay = batch -> Duration.ofMillis(batch * 7919L % 11);

    drive(queue, Duration.ofMillis(1), Duration.ofSeconds(1));

    long modelNanos = FIXED_NANOS + PER_ITEM_NANOS;
    assertThat(queue.capacity().service().nanos(1)).isCloseTo(modelNanos, within(1_000L));
    assertThat(queue.capacity().batchNanos(1)).isCloseTo(modelNanos, within(1_000L));
  }

  @Test
  void aModelTheFrontendHasBarelySeenIsNotShedOnItsFirstBatchesTimes() {
    Duration slo = Duration.ofMillis(100);
    BatchQueue queue = fixture.queue(256, Duration.ZERO, slo.dividedBy(2), 100_000);
    fixture.worker("r1", queue, model, 1).start();
    model.cold = 6;  // its first batches take 48 ms each: a cold JIT, a lazily loaded model

    List<PendingQuery> queries = new ArrayList<>();
    for (int request = 0; request < 5; request++) {  // an input_batch of three, five times
      Instant now = fixture.clock.instant();
      for (int i = 0; i < 3; i++) {
        queries.add(queue.offer(new QueryInput.Doubles(new double[] {i}), now.plus(slo), now, Fixture.timing()));
      }
      fixture.advance(slo);
    }

    assertThat(queries).allSatisfy(query -> assertThat(query.output()).isCompletedWithValue("ok"));
  }

  @Test
  void withTwoBatchesInFlightTheModelDoesNotWaitForTheFrontendBetweenBatches() {
    // Each answer reaches the frontend 1 ms after the model finished it.
    model.delay = batch -> Duration.ofMillis(1);
    Duration interval = Duration.ofNanos((FIXED_NANOS + PER_ITEM_NANOS) / 3);
    BatchQueue one = fixture.queue(1, Duration.ZERO, BUDGET, 100_000);
    fixture.worker("one", one, model, 1).start();
    Tally alone = Tally.of(drive(one, interval, Duration.ofSeconds(1)));

    SimulatedModel pipelined = new SimulatedModel();
    pipelined.delay = model.delay;
    BatchQueue two = fixture.queue(1, Duration.ZERO, BUDGET, 100_000);
    fixture.worker("two", two, pipelined, 2).start();
    Tally ahead = Tally.of(drive(two, interval, Duration.ofSeconds(1)));

    // One in flight: a batch per 2.05 ms (488/s). Two: one per 1.05 ms, the model's own rate.
    assertThat(alone.served).isLessThan(520);
    assertThat(ahead.served).isGreaterThan((int) (0.9 * 952));
    assertThat(ahead.late).isZero();
    // A batch's wait behind the one before it is the model's, not the network's.
    assertThat(two.capacity().transport().floorNanos()).isEqualTo(Duration.ofMillis(1).toNanos());
  }

  /** Makes the model's known time {@code perBatch}, as if its last batches had taken that. */
  private static void poison(BatchQueue queue, Duration perBatch) {
    for (int batch = 0; batch < ServiceTime.MIN_BATCHES; batch++) {
      queue.capacity().service().observe(1, perBatch.toNanos());
    }
  }

  private List<Outcome> drive(BatchQueue queue, Duration interval, Duration length) {
    List<Outcome> outcomes = new ArrayList<>();
    Instant end = fixture.clock.instant().plus(length);
    while (fixture.clock.instant().isBefore(end)) {
      Instant now = fixture.clock.instant();
      Instant deadline = now.plus(SLO);
      CompletableFuture<String> output;
      try {
        output = queue.offer(new QueryInput.Doubles(new double[] {1}), deadline, now, Fixture.timing()).output();
      } catch (QueryShedException shed) {
        output = CompletableFuture.failedFuture(shed);
      }
      Instant[] finished = new Instant[1];
      output.whenComplete((value, error) -> finished[0] = fixture.clock.instant());
      outcomes.add(new Outcome(now, deadline, output, output.isCompletedExceptionally(),
          finished));
      fixture.advance(interval);
    }
    fixture.advance(SLO.multipliedBy(2));
    return outcomes;
  }

  /** Served in time, served late, shed at once, and failed only at (or after) the deadline. */
  private static final class Tally {
    int served;
    int late;
    int shedAtOnce;
    int failedAtDeadline;

    static Tally of(List<Outcome> outcomes) {
      Tally tally = new Tally();
      for (Outcome outcome : outcomes) {
        if (outcome.shedAtOnce()) {
          tally.shedAtOnce++;
        } else if (!outcome.output().isCompletedExceptionally()) {
          tally.served++;
          if (outcome.finished()[0].isAfter(outcome.deadline())) {
            tally.late++;
          }
        } else if (!outcome.finished()[0].isBefore(outcome.deadline())) {
          tally.failedAtDeadline++;
        }
      }
      return tally;
    }
  }

  /**
   * Answers each batch with "ok"s after 1 ms + 0.05 ms per item of virtual time, saying so as a
   * container does, plus what the frontend adds to the round trip on top ({@link #delay}).
   */
  private final class SimulatedModel implements BatchSender {
    int sent;
    Duration firstLatency;
    /** How many first batches take 48 ms (a cold model). */
    int cold;
    /** When the model has finished the batches sent so far, in virtual nanoseconds. */
    long freeAt;
    /** The frontend's own delay in reading each answer (a busy event loop), per batch. */
    java.util.function.IntFunction<Duration> delay = batch -> Duration.ZERO;

    @Override
    public CompletableFuture<BatchAnswer> send(InputType type, List<QueryInput> inputs,
        Instant deadline, List<String> traceparents) {
      sent++;
      CompletableFuture<BatchAnswer> answer = new CompletableFuture<>();
      long compute = sent == 1 && firstLatency != null ? firstLatency.toNanos()
          : sent <= cold ? Duration.ofMillis(48).toNanos()
          : FIXED_NANOS + PER_ITEM_NANOS * inputs.size();
      // One batch at a time, as the SDKs run a model: a batch sent while one runs waits.
      long now = fixture.time.now(TimeUnit.NANOSECONDS);
      long start = Math.max(now, freeAt);
      freeAt = start + compute;
      BatchAnswer outputs = new BatchAnswer(inputs.stream().map(i -> "ok").toList(), compute,
          start - now);
      fixture.time.schedule(() -> answer.complete(outputs),
          freeAt - now + delay.apply(sent).toNanos(), TimeUnit.NANOSECONDS);
      return answer;
    }

    @Override
    public void close() {
    }
  }
}
