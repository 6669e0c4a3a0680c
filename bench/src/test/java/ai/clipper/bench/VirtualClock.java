package ai.clipper.bench;

import java.util.PriorityQueue;

/** A clock that moves only when parked on, running the events scheduled on its way. */
final class VirtualClock implements Clock {

  private record Event(long at, long order, Runnable action) {}

  private final PriorityQueue<Event> events = new PriorityQueue<>(
      (a, b) -> a.at != b.at ? Long.compare(a.at, b.at) : Long.compare(a.order, b.order));
  private long now;
  private long order;

  @Override
  public long nanoTime() {
    return now;
  }

  @Override
  public void parkUntil(long deadline) {
    while (!events.isEmpty() && events.peek().at <= deadline) {
      Event event = events.poll();
      now = Math.max(now, event.at);
      event.action.run();
    }
    now = Math.max(now, deadline);
  }

  void schedule(long at, Runnable action) {
    events.add(new Event(at, order++, action));
  }
}
