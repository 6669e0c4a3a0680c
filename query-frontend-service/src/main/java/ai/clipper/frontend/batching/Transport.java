package ai.clipper.frontend.batching;

import java.util.Arrays;

/**
 * The part of a batch's round trip that is not the model's: the round trip minus the compute
 * time and the wait at the replica that the container reports. Its floor, the least of the last
 * {@value #WINDOW} batches, is what the network and gRPC cost, what a replica really needs besides
 * the model: admission control counts only that, since what a batch takes above it is the
 * frontend's own delay (a busy event loop reading the answer late), which comes and goes with the
 * load the frontend carries, and counting it would shed more the busier the frontend is (see
 * {@link ServiceTime}). Its median is what answers take to come back now: a query that a batch
 * sent now would answer after its deadline by that much is not sent, so the model does not work
 * on answers nobody will read.
 */
final class Transport {

  /** Batches the floor is taken over: long enough to hold a quiet moment, short enough to move. */
  static final int WINDOW = 32;

  private final long[] recent = new long[WINDOW];
  private int seen;
  private long floor;
  private long median;

  /** Records a batch's time outside the model. */
  synchronized void observe(long nanos) {
    recent[seen % WINDOW] = Math.max(0, nanos);
    seen++;
    long[] sorted = Arrays.copyOf(recent, Math.min(seen, WINDOW));
    Arrays.sort(sorted);
    floor = sorted[0];
    median = sorted[sorted.length / 2];
  }

  /** The network's and gRPC's share of a batch; 0 before the first batch. */
  synchronized long floorNanos() {
    return floor;
  }

  /** What a batch's answer takes to come back now, besides the model; 0 before the first batch. */
  synchronized long medianNanos() {
    return median;
  }
}
