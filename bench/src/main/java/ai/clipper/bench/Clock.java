package ai.clipper.bench;

import java.util.concurrent.locks.LockSupport;

/** Time for the open loop's schedule: the real one, or a virtual one in tests. */
interface Clock {

  long nanoTime();

  /** Returns at {@code deadline} (or soon after, on a real clock). */
  void parkUntil(long deadline);

  Clock SYSTEM = new Clock() {
    @Override
    public long nanoTime() {
      return System.nanoTime();
    }

    @Override
    public void parkUntil(long deadline) {
      for (long left = deadline - System.nanoTime(); left > 0; left = deadline - System.nanoTime()) {
        LockSupport.parkNanos(left);
      }
    }
  };
}
