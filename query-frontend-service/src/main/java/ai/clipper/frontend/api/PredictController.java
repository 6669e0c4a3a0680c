package ai.clipper.frontend.api;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** Clipper's query endpoint, {@code POST /{app}/predict} (with or without a trailing slash). */
@RestController
class PredictController {

  private final QueryProcessor processor;

  PredictController(QueryProcessor processor) {
    this.processor = processor;
  }

  /** The body is read as bytes whatever its content type, and parsed by {@link QueryParser}. */
  @PostMapping(path = {"/{app}/predict", "/{app}/predict/"},
      produces = MediaType.APPLICATION_JSON_VALUE)
  Mono<Object> predict(@PathVariable String app,
      @RequestBody(required = false) Mono<byte[]> body) {
    return body.defaultIfEmpty(new byte[0])
        .flatMap(bytes -> Mono.defer(() -> processor.predict(app, bytes)));
  }
}
