package ai.clipper.frontend.batching;

/**
 * The part of a batch's round trip that is not the model's: the round trip minus the compute
 * time the container reports. Its floor, the least of the last {@value #WINDOW} batches, is what
 * the network and gRPC cost (what a replica really needs besides the model); what a batch took
 * above the floor is the frontend's own delay (a busy event loop reading the answer late), which
 * admission control leaves out: it comes and goes with the load the frontend carries, and
 * counting it would shed more the busier the frontend is (see {@link ServiceTime}).
 */
final class Transport {

  /** Batches the floor is taken over: long enough to hold a quiet moment, short enough to move. */
  static final int WINDOW = 32;

  private final long[] recent = new long[WINDOW];
  private int seen;
  private long floor;

  /** Records a batch's time outside the model. */
  synchronized void observe(long nanos) {
    recent[seen % WINDOW] = Math.max(0, nanos);
    seen++;
    long least = Long.MAX_VALUE;
    for (int i = 0; i < Math.min(seen, WINDOW); i++) {
      least = Math.min(least, recent[i]);
    }
    floor = least;
  }

  /** The network's and gRPC's share of a batch; 0 before the first batch. */
  synchronized long floorNanos() {
    return floor;
  }
}
