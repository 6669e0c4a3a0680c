package ai.clipper.bench;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Drives a {@link Target}: a warm-up whose results are thrown away, then a measured period.
 *
 * <p>Closed loop: {@code concurrency} queries in flight, each answer sends the next; latency is
 * each query's own round trip, throughput is answers inside the measured period per second.
 *
 * <p>Open loop: queries are due at a fixed rate whatever the answers do, and each latency runs from
 * the time the query was due, not from when it could be sent: a stall that holds back sending
 * (at most {@code maxOutstanding} in flight) shows up in the latencies instead of vanishing from
 * them (Gil Tene's coordinated omission; what wrk2 does). The measured queries are those due inside
 * the measured period; those still unanswered a drain time after it count as unfinished.
 */
final class LoadGenerator {

  /** How long to warm up, to measure, and to wait for the last answers. */
  record Periods(Duration warmup, Duration measure, Duration drain) {}

  private final Target target;
  private final Periods periods;
  private final Clock clock;
  private final Duration lateAfter;
  private final AtomicLong seq = new AtomicLong();

  LoadGenerator(Target target, Periods periods) {
    this(target, periods, Clock.SYSTEM);
  }

  LoadGenerator(Target target, Periods periods, Clock clock) {
    this(target, periods, clock, Duration.ZERO);
  }

  private LoadGenerator(Target target, Periods periods, Clock clock, Duration lateAfter) {
    this.target = target;
    this.periods = periods;
    this.clock = clock;
    this.lateAfter = lateAfter;
  }

  /** This generator, counting the answers that take longer than {@code bound} (the SLO + 5 ms). */
  LoadGenerator countingLateAfter(Duration bound) {
    return new LoadGenerator(target, periods, clock, bound);
  }

  /** Keeps {@code concurrency} queries in flight through the warm-up and the measured period. */
  Result closed(String scenario, String label, int concurrency) throws InterruptedException {
    Tally tally = new Tally();
    ClosedLoop loop = new ClosedLoop(tally);
    for (int i = 0; i < concurrency; i++) {
      loop.fire();
    }
    sleep(periods.warmup());
    tally.reset();
    loop.measuring = true;
    long start = System.nanoTime();
    sleep(periods.measure());
    loop.measuring = false;
    double seconds = (System.nanoTime() - start) / 1e9;
    Result result = tally.result(scenario, label, "closed c=" + concurrency, seconds,
        tally.ended() / seconds, 0, lateMicros());
    loop.stop(periods.drain());
    return result;
  }

  /** Sends {@code rate} queries per second, at most {@code maxOutstanding} unanswered at once. */
  Result open(String scenario, String label, double rate, int maxOutstanding) {
    Tally tally = new Tally();
    AtomicInteger outstanding = new AtomicInteger();
    AtomicLong measuredDone = new AtomicLong();
    AtomicLong lastDone = new AtomicLong();
    long start = clock.nanoTime();
    long measureStart = start + periods.warmup().toNanos();
    long measureEnd = measureStart + periods.measure().toNanos();
    long giveUp = measureEnd + periods.drain().toNanos();
    long measuredDue = 0;
    for (long i = 0; ; i++) {
      long due = start + (long) (i * 1e9 / rate);
      if (due >= measureEnd) {
        break;
      }
      boolean measured = due >= measureStart;
      if (measured) {
        measuredDue++;
      }
      clock.parkUntil(due);
      while (outstanding.get() >= maxOutstanding && clock.nanoTime() < giveUp) {
        clock.parkUntil(clock.nanoTime() + 100_000);
      }
      if (clock.nanoTime() >= giveUp) {
        continue;  // too far behind: the rest is counted as unfinished
      }
      outstanding.incrementAndGet();
      target.send(seq.getAndIncrement(), outcome -> {
        long now = clock.nanoTime();
        if (measured) {
          tally.record(now - due, outcome);
          measuredDone.incrementAndGet();
          lastDone.accumulateAndGet(now, Math::max);
        }
        outstanding.decrementAndGet();
      });
    }
    while (outstanding.get() > 0 && clock.nanoTime() < giveUp) {
      clock.parkUntil(clock.nanoTime() + 1_000_000);
    }
    // Throughput over the measured period, or until its last answer when answers lag behind.
    double seconds = (Math.max(measureEnd, lastDone.get()) - measureStart) / 1e9;
    long unfinished = measuredDue - measuredDone.get();
    String mode = "open r=" + formatRate(rate) + "/s";
    return tally.result(scenario, label, mode, seconds, rate, unfinished, lateMicros());
  }

  private long lateMicros() {
    return lateAfter.toNanos() / 1000;
  }

  static String formatRate(double rate) {
    return rate == Math.rint(rate) ? Long.toString((long) rate) : Double.toString(rate);
  }

  private static void sleep(Duration duration) throws InterruptedException {
    Thread.sleep(duration.toMillis());
  }

  /** The closed loop's in-flight queries: each answer sends the next one while running. */
  private final class ClosedLoop {

    private final Tally tally;
    private final AtomicInteger inFlight = new AtomicInteger();
    // A target that answers on the sending thread would otherwise recurse without bound.
    private final ThreadLocal<Boolean> sending = ThreadLocal.withInitial(() -> false);
    private final ExecutorService trampoline = Executors.newSingleThreadExecutor(r -> {
      Thread thread = new Thread(r, "closed-loop-trampoline");
      thread.setDaemon(true);
      return thread;
    });
    volatile boolean measuring;
    volatile boolean running = true;

    ClosedLoop(Tally tally) {
      this.tally = tally;
    }

    void fire() {
      inFlight.incrementAndGet();
      long sent = System.nanoTime();
      sending.set(true);
      try {
        target.send(seq.getAndIncrement(), outcome -> answered(sent, outcome));
      } finally {
        sending.set(false);
      }
    }

    private void answered(long sent, Outcome outcome) {
      if (measuring) {
        tally.record(System.nanoTime() - sent, outcome);
      }
      inFlight.decrementAndGet();
      if (running) {
        if (sending.get()) {
          trampoline.execute(this::fire);
        } else {
          fire();
        }
      }
    }

    void stop(Duration drain) throws InterruptedException {
      running = false;
      long deadline = System.nanoTime() + drain.toNanos();
      while (inFlight.get() > 0 && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      trampoline.shutdown();
      trampoline.awaitTermination(1, TimeUnit.SECONDS);
    }
  }
}
