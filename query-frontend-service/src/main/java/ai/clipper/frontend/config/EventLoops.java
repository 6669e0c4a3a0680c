package ai.clipper.frontend.config;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.util.concurrent.EventExecutor;
import reactor.netty.resources.LoopResources;

/**
 * The event loops the HTTP server runs its connections on (Reactor Netty's), shared by the V2
 * gRPC server: a query is read, answered and written by the thread that owns its connection.
 *
 * @param workers the loops connections run on
 * @param acceptors the loops that accept connections
 * @param serverSocketType the server socket class that fits {@code acceptors} (epoll or NIO)
 */
public record EventLoops(EventLoopGroup workers, EventLoopGroup acceptors,
    Class<? extends ServerSocketChannel> serverSocketType) {

  /** The loops {@code resources} gives a server that prefers native transport, as ours does. */
  public static EventLoops of(LoopResources resources) {
    EventLoopGroup workers = resources.onServer(LoopResources.DEFAULT_NATIVE);
    EventLoopGroup acceptors = resources.onServerSelect(LoopResources.DEFAULT_NATIVE);
    return new EventLoops(workers, acceptors,
        resources.onChannelClass(ServerSocketChannel.class, acceptors));
  }

  /** The worker loop the calling thread runs, or {@code null} when it runs none. */
  public EventLoop current() {
    for (EventExecutor loop : workers) {
      if (loop.inEventLoop()) {
        return (EventLoop) loop;
      }
    }
    return null;
  }
}
