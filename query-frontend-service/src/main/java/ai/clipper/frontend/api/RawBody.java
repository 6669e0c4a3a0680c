package ai.clipper.frontend.api;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;
import reactor.core.publisher.Mono;

/**
 * Reads a request body as bytes whatever its Content-Type, as Clipper did, so a plain
 * {@code curl -d '{...}'} (sent as a form) works; past the size limit it fails with
 * {@code DataBufferLimitException}, which answers 413.
 */
@Component
public class RawBody {

  private final int maxBytes;

  RawBody(@Value("${spring.http.codecs.max-in-memory-size:8MB}") DataSize maxBody) {
    this.maxBytes = (int) Math.min(Integer.MAX_VALUE, maxBody.toBytes());
  }

  /** The whole body; empty bytes when there is none. */
  public Mono<byte[]> read(ServerHttpRequest request) {
    return DataBufferUtils.join(request.getBody(), maxBytes)
        .map(RawBody::bytesOf)
        .defaultIfEmpty(new byte[0]);
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
