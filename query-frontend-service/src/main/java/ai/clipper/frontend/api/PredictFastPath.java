package ai.clipper.frontend.api;

import ai.clipper.frontend.tracing.QueryTracing;
import ai.clipper.frontend.tracing.RequestTrace;
import ai.clipper.frontend.tracing.ServerTiming;
import java.util.List;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.PathContainer;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.HttpHandlerDecoratorFactory;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Serves {@code POST /{app}/predict} (with or without a trailing slash), the hot path, on the raw
 * HTTP request and response, ahead of WebFlux's dispatch: the per-request exchange, handler
 * mapping and response writers cost more CPU than the cache lookup they wrap. Its errors go through
 * {@link JsonErrorHandler}, as everyone else's; every other request goes on to WebFlux.
 */
@Component
class PredictFastPath implements HttpHandlerDecoratorFactory {

  private final PredictHandler predict;
  private final JsonErrorHandler errors;
  private final QueryTracing tracing;

  PredictFastPath(PredictHandler predict, JsonErrorHandler errors, QueryTracing tracing) {
    this.predict = predict;
    this.errors = errors;
    this.tracing = tracing;
  }

  @Override
  public HttpHandler apply(HttpHandler next) {
    return (request, response) -> {
      String app = request.getMethod() == HttpMethod.POST ? predictApp(request) : null;
      if (app == null) {
        return next.handle(request, response);
      }
      RequestTrace trace = tracing.start(request.getHeaders().getFirst(QueryTracing.HEADER));
      return Mono.defer(() -> predict.predict(app, request, trace))
          .flatMap(json -> write(response, json, trace))
          .onErrorResume(error -> trace.logging(() -> errors.write(request, response, error)));
    };
  }

  /** The {@code {app}} of a {@code /{app}/predict} path, decoded; {@code null} for other paths. */
  static String predictApp(ServerHttpRequest request) {
    List<PathContainer.Element> elements = request.getPath().pathWithinApplication().elements();
    int size = elements.size();
    if (size != 4 && !(size == 5 && elements.get(4) instanceof PathContainer.Separator)) {
      return null;
    }
    if (elements.get(1) instanceof PathContainer.PathSegment app
        && elements.get(3) instanceof PathContainer.PathSegment verb
        && !app.valueToMatch().isEmpty() && verb.valueToMatch().equals("predict")) {
      return app.valueToMatch();
    }
    return null;
  }

  private static Mono<Void> write(ServerHttpResponse response, byte[] json, RequestTrace trace) {
    response.setStatusCode(HttpStatus.OK);
    response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
    response.getHeaders().setContentLength(json.length);
    response.getHeaders().set(ServerTiming.HEADER, trace.timing(System.nanoTime()).header());
    return response.writeWith(Mono.just(response.bufferFactory().wrap(json)));
  }
}
