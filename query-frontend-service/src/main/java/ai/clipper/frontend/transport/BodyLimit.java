package ai.clipper.frontend.transport;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;

/**
 * The most bytes one request may hold in memory, a REST body or a V2 gRPC message alike: read
 * once, from Spring's own codec limit, so both transports refuse the same sizes.
 */
@Component
public class BodyLimit {

  /** The setting, which an answer to an oversized request names. */
  public static final String PROPERTY = "spring.http.codecs.max-in-memory-size";

  private final int bytes;

  BodyLimit(@Value("${" + PROPERTY + ":8MB}") DataSize limit) {
    this.bytes = (int) Math.min(Integer.MAX_VALUE, limit.toBytes());
  }

  public int bytes() {
    return bytes;
  }
}
