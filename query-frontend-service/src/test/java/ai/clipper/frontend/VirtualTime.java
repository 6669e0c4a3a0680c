package ai.clipper.frontend;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import reactor.test.scheduler.VirtualTimeScheduler;

/** One virtual time for a test: the clock of deadlines and the scheduler of their timers. */
public final class VirtualTime {

  public static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private final VirtualTimeScheduler scheduler = VirtualTimeScheduler.create();

  public VirtualTimeScheduler scheduler() {
    return scheduler;
  }

  public Clock clock() {
    return clock;
  }

  private final Clock clock = new Clock() {
    @Override
    public Instant instant() {
      return T0.plusNanos(scheduler.now(TimeUnit.NANOSECONDS));
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  };

  public void advance(Duration duration) {
    scheduler.advanceTimeBy(duration);
  }
}
