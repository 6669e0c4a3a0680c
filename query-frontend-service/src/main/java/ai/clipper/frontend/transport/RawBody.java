package ai.clipper.frontend.transport;

import java.util.ArrayList;
import java.util.List;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;
import reactor.core.publisher.Mono;

/**
 * Reads a request body as bytes whatever its Content-Type, as Clipper did, so a plain
 * {@code curl -d '{...}'} (sent as a form) works; past the size limit it fails with
 * {@code DataBufferLimitException}, which answers 413. An oversized body is still read to its end
 * (and thrown away) for up to {@link #DRAIN_LIMIT} more bytes, as nginx's lingering close does: a
 * client that sends its whole body before it reads (Python's {@code requests}) would otherwise get
 * a connection reset, since closing a socket with unread data resets it, instead of the 413.
 */
@Component
public class RawBody {

  /** How much of an oversized body is read and discarded before the connection is given up. */
  static final long DRAIN_LIMIT = DataSize.ofMegabytes(64).toBytes();

  private final int maxBytes;

  RawBody(BodyLimit limit) {
    this.maxBytes = limit.bytes();
  }

  /** The whole body; empty bytes when there is none. */
  public Mono<byte[]> read(ServerHttpRequest request) {
    return Mono.defer(() -> {
      Chunks chunks = new Chunks(maxBytes);
      return request.getBody()
          .doOnNext(chunks::add)
          .then(Mono.fromCallable(chunks::bytes))
          .doFinally(signal -> chunks.release());
    });
  }

  /** The buffers of one body while it arrives; past the limit, only their count of bytes. */
  private static final class Chunks {

    private final int maxBytes;
    private final List<DataBuffer> kept = new ArrayList<>();
    private long total;

    Chunks(int maxBytes) {
      this.maxBytes = maxBytes;
    }

    void add(DataBuffer buffer) {
      total += buffer.readableByteCount();
      if (total <= maxBytes) {
        kept.add(buffer);
        return;
      }
      DataBufferUtils.release(buffer);
      release();
      if (total > maxBytes + DRAIN_LIMIT) {
        throw tooLarge(); // no more draining: the connection closes unread
      }
    }

    byte[] bytes() {
      if (total > maxBytes) {
        throw tooLarge();
      }
      byte[] bytes = new byte[(int) total];
      int at = 0;
      for (DataBuffer buffer : kept) {
        int length = buffer.readableByteCount();
        buffer.read(bytes, at, length);
        at += length;
      }
      release();
      return bytes;
    }

    void release() {
      kept.forEach(DataBufferUtils::release);
      kept.clear();
    }

    private DataBufferLimitException tooLarge() {
      return new DataBufferLimitException("Exceeded limit on max bytes to buffer : " + maxBytes);
    }
  }
}
