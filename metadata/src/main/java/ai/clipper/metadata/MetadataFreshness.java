package ai.clipper.metadata;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * Whether the metadata a service holds still follows Redis, judged by the version counter every
 * change bumps. A counter lower than the one applied means Redis lost or was replaced with other
 * data (a restart without persistence, a flushed or new instance): what it holds now is not newer
 * than what we have, so it is not applied, and the metadata is stale until a change is written
 * after the loss (the counter moves past where it was first seen low), which is applied as any
 * change is. Redis unreachable is stale too, until a read succeeds. A {@link Listener} hears of
 * each turn between fresh and stale once, so a long outage is one line in the log, not one a tick.
 */
public final class MetadataFreshness {

  /** Nothing was applied yet. */
  private static final long NONE = -1;

  /**
   * Why the metadata is stale and since when.
   *
   * @param reason what was seen, for a person
   * @param since when it turned stale
   * @param appliedVersion the version of the metadata still in use
   */
  public record Stale(String reason, Instant since, long appliedVersion) {
  }

  /** Hears the turns between fresh and stale (one call per turn). */
  public interface Listener {

    void turnedStale(Stale stale);

    void turnedFresh(long version);
  }

  private final Clock clock;
  private final Listener listener;
  private long applied = NONE;
  /** The counter as first seen below {@link #applied}: a change past it was written after. */
  private long lowMark = NONE;
  private volatile Stale stale;

  public MetadataFreshness(Clock clock, Listener listener) {
    this.clock = clock;
    this.listener = listener;
  }

  /**
   * Judges the counter Redis holds now; true when the metadata at that version should be read and
   * applied (then call {@link #applied}).
   */
  public synchronized boolean observe(long redisVersion) {
    if (lowMark != NONE) {
      if (redisVersion > lowMark) {
        return true; // a change written after the loss
      }
      lowMark = redisVersion; // lower still: replaced again
      return false;
    }
    if (redisVersion < applied) {
      lowMark = redisVersion;
      turnStale("the version counter went back from " + applied + " to " + redisVersion
          + ": Redis lost or was replaced with other data");
      return false;
    }
    if (redisVersion == applied) {
      turnFresh();
      return false;
    }
    return true;
  }

  /** The metadata at {@code version} is in use now. */
  public synchronized void applied(long version) {
    applied = version;
    lowMark = NONE;
    turnFresh();
  }

  /** Redis could not be read; what was applied stays in use. */
  public synchronized void unreachable(String error) {
    if (stale == null) {
      turnStale("Redis is unreachable: " + error);
    }
  }

  /** Present while the metadata in use may be behind, or ahead of, what Redis holds. */
  public Optional<Stale> stale() {
    return Optional.ofNullable(stale);
  }

  /** The version of the metadata in use (-1 before the first). */
  public synchronized long appliedVersion() {
    return applied;
  }

  /** Called once per outage and once per loss (a loss found after an outage is news too). */
  private void turnStale(String reason) {
    stale = new Stale(reason, stale == null ? clock.instant() : stale.since(), applied);
    listener.turnedStale(stale);
  }

  private void turnFresh() {
    if (stale != null) {
      stale = null;
      listener.turnedFresh(applied);
    }
  }
}
