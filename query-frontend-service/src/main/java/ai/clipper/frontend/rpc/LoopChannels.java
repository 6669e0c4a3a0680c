package ai.clipper.frontend.rpc;

import io.grpc.ManagedChannel;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The channels to one replica, one per event loop of the frontend: a batch sent from a loop goes
 * out on that loop's channel, whose answer is read and handed on by the same thread, so a query
 * from a connection on that loop is answered without a thread hop. A batch sent from any other
 * thread (a batching timer) takes the channels in turn. Each channel dials on its first call.
 */
final class LoopChannels {

  private final EventLoop[] loops;
  private final ManagedChannel[] channels;
  private final AtomicInteger next = new AtomicInteger();

  LoopChannels(EventLoopGroup group, Function<EventLoop, ManagedChannel> open) {
    List<EventLoop> members = new ArrayList<>();
    for (EventExecutor executor : group) {
      members.add((EventLoop) executor);
    }
    this.loops = members.toArray(EventLoop[]::new);
    this.channels = members.stream().map(open).toArray(ManagedChannel[]::new);
  }

  /** The channel of the calling thread's loop, or the next in turn off the loops. */
  ManagedChannel current() {
    for (int i = 0; i < loops.length; i++) {
      if (loops[i].inEventLoop()) {
        return channels[i];
      }
    }
    return channels[Math.floorMod(next.getAndIncrement(), channels.length)];
  }

  /** Stops new calls on every channel; calls in flight finish or meet their deadline. */
  void shutdown() {
    for (ManagedChannel channel : channels) {
      channel.shutdown();
    }
  }
}
