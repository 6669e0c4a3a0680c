package ai.clipper.frontend.transport;

import ai.clipper.frontend.config.EventLoops;
import io.netty.channel.EventLoop;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.stereotype.Component;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.Connection;

/**
 * The scheduler a request's SLO timers run on: the Netty event loop that owns its connection, so
 * a default answer is written by the thread that fires its timer, with no hop to a thread that
 * may be busy. One scheduler per event loop, made once; a request without a Netty connection
 * (none in production) falls back to the shared SLO scheduler. A V2 gRPC call, which runs on
 * the same loops, takes the scheduler of the loop it runs on.
 */
@Component
public class ConnectionTimers {

  private final Map<EventLoop, Scheduler> byLoop = new ConcurrentHashMap<>();
  private final EventLoops loops;
  private final Scheduler fallback;

  ConnectionTimers(EventLoops loops, @Qualifier("sloScheduler") Scheduler fallback) {
    this.loops = loops;
    this.fallback = fallback;
  }

  public Scheduler of(ServerHttpRequest request) {
    Object nativeRequest = ServerHttpRequestDecorator.getNativeRequest(request);
    if (nativeRequest instanceof Connection connection) {
      return of(connection.channel().eventLoop());
    }
    return fallback;
  }

  /** The scheduler of the event loop the caller runs on, or the shared one off the loops. */
  public Scheduler ofCurrentLoop() {
    EventLoop loop = loops.current();
    return loop == null ? fallback : of(loop);
  }

  private Scheduler of(EventLoop loop) {
    return byLoop.computeIfAbsent(loop, Schedulers::fromExecutorService);
  }
}
