package ai.clipper.bench;

import java.util.concurrent.atomic.AtomicLong;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * The ceiling: a bare WebFlux endpoint (functional route on Reactor Netty, no Boot, no model)
 * that reads the predict body and answers the frontend's JSON shape. No JVM HTTP stack of ours
 * can answer faster on this machine. It also answers the frontend's readiness path, so HAProxy's
 * checks (deploy/haproxy) keep it up when bench/scaling puts the balancer in front of it.
 */
final class EchoServer implements AutoCloseable {

  private final DisposableServer server;

  private EchoServer(DisposableServer server) {
    this.server = server;
  }

  /** Listens on 127.0.0.1:{@code port} (0 picks a free port). */
  static EchoServer start(int port) {
    AtomicLong queryIds = new AtomicLong();
    RouterFunction<ServerResponse> route = RouterFunctions.route(
        RequestPredicates.POST("/{app}/predict"),
        request -> request.bodyToMono(String.class).defaultIfEmpty("")
            .flatMap(body -> ServerResponse.ok().contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"query_id\":" + queryIds.getAndIncrement()
                    + ",\"output\":0,\"default\":false}")))
        .andRoute(RequestPredicates.GET("/actuator/health/readiness"),
            request -> ServerResponse.ok().contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"status\":\"UP\"}"));
    HttpHandler handler = RouterFunctions.toHttpHandler(route);
    DisposableServer server = HttpServer.create()
        .host("127.0.0.1")
        .port(port)
        .handle(new ReactorHttpHandlerAdapter(handler))
        .bindNow();
    return new EchoServer(server);
  }

  int port() {
    return server.port();
  }

  /** Blocks until the server is disposed. */
  void awaitClose() {
    server.onDispose().block();
  }

  @Override
  public void close() {
    server.disposeNow();
  }
}
