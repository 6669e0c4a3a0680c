package ai.clipper.frontend.api;

import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** Clipper's query endpoint, {@code POST /{app}/predict} (with or without a trailing slash). */
@RestController
class PredictController {

  private final QueryProcessor processor;
  private final RawBody body;

  PredictController(QueryProcessor processor, RawBody body) {
    this.processor = processor;
    this.body = body;
  }

  /** The raw body is parsed by {@link QueryParser}, whatever its content type. */
  @PostMapping(path = {"/{app}/predict", "/{app}/predict/"},
      produces = MediaType.APPLICATION_JSON_VALUE)
  Mono<Object> predict(@PathVariable String app, ServerHttpRequest request) {
    return body.read(request).flatMap(bytes -> Mono.defer(() -> processor.predict(app, bytes)));
  }
}
