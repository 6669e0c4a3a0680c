package ai.clipper.frontend.api;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.util.unit.DataSize;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** Clipper's query endpoint, {@code POST /{app}/predict} (with or without a trailing slash). */
@RestController
class PredictController {

  private final QueryProcessor processor;
  private final int maxBodyBytes;

  PredictController(QueryProcessor processor,
      @Value("${spring.http.codecs.max-in-memory-size:8MB}") DataSize maxBody) {
    this.processor = processor;
    this.maxBodyBytes = (int) Math.min(Integer.MAX_VALUE, maxBody.toBytes());
  }

  /**
   * The raw body is parsed by {@link QueryParser} whatever its content type, as Clipper did, so
   * a plain {@code curl -d '{...}'} (sent as a form) works; past the size limit it answers 413.
   */
  @PostMapping(path = {"/{app}/predict", "/{app}/predict/"},
      produces = MediaType.APPLICATION_JSON_VALUE)
  Mono<Object> predict(@PathVariable String app, ServerHttpRequest request) {
    return DataBufferUtils.join(request.getBody(), maxBodyBytes)
        .map(PredictController::bytesOf)
        .defaultIfEmpty(new byte[0])
        .flatMap(bytes -> Mono.defer(() -> processor.predict(app, bytes)));
  }

  private static byte[] bytesOf(DataBuffer buffer) {
    try {
      byte[] bytes = new byte[buffer.readableByteCount()];
      buffer.read(bytes);
      return bytes;
    } finally {
      DataBufferUtils.release(buffer);
    }
  }
}
