package ai.clipper.frontend.api;

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
 * (none in production) falls back to the shared SLO scheduler.
 */
@Component
public class ConnectionTimers {

  private final Map<EventLoop, Scheduler> byLoop = new ConcurrentHashMap<>();
  private final Scheduler fallback;

  ConnectionTimers(@Qualifier("sloScheduler") Scheduler fallback) {
    this.fallback = fallback;
  }

  public Scheduler of(ServerHttpRequest request) {
    Object nativeRequest = ServerHttpRequestDecorator.getNativeRequest(request);
    if (nativeRequest instanceof Connection connection) {
      return byLoop.computeIfAbsent(connection.channel().eventLoop(),
          Schedulers::fromExecutorService);
    }
    return fallback;
  }
}
