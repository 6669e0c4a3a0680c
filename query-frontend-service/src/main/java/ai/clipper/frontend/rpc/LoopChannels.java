package ai.clipper.frontend.rpc;

import ai.clipper.frontend.config.EventLoops;
import io.grpc.ManagedChannel;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.EventExecutor;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The channels to one replica, one per event loop of the frontend: a batch sent from a loop goes
 * out on that loop's channel, whose answer is read and handed on by the same thread, so a query
 * from a connection on that loop is answered without a thread hop. A batch sent from any other
 * thread (a batching timer) takes the channels in turn. Each channel dials on its first call.
 */
final class LoopChannels {

  private final EventLoops loops;
  private final Map<EventLoop, ManagedChannel> byLoop = new HashMap<>();
  private final ManagedChannel[] channels;
  private final AtomicInteger next = new AtomicInteger();

  LoopChannels(EventLoops loops, Function<EventLoop, ManagedChannel> open) {
    this.loops = loops;
    for (EventExecutor executor : loops.workers()) {
      byLoop.put((EventLoop) executor, open.apply((EventLoop) executor));
    }
    this.channels = byLoop.values().toArray(ManagedChannel[]::new);
  }

  /** The channel of the calling thread's loop, or the next in turn off the loops. */
  ManagedChannel current() {
    EventLoop loop = loops.current();
    return loop != null ? byLoop.get(loop)
        : channels[Math.floorMod(next.getAndIncrement(), channels.length)];
  }

  /** Stops new calls on every channel; calls in flight finish or meet their deadline. */
  void shutdown() {
    for (ManagedChannel channel : channels) {
      channel.shutdown();
    }
  }
}
