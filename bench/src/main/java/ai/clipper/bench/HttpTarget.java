package ai.clipper.bench;

import io.netty.handler.codec.http.HttpHeaderNames;
import java.net.URI;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.LongFunction;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * POSTs queries with Reactor Netty, over a keep-alive connection pool as large as the number of
 * queries in flight, so no query waits for a connection: Clipper's predict bodies
 * ({@link Inputs#json}) or the Open Inference Protocol's infer bodies ({@link Inputs#v2Json}).
 */
final class HttpTarget implements Target {

  private final ConnectionProvider pool;
  private final HttpClient client;
  private final String path;
  private final LongFunction<String> bodies;

  /** Sends query {@code seq} as {@code bodies.apply(seq)} to {@code url}. */
  HttpTarget(URI url, int connections, LongFunction<String> bodies, Duration timeout) {
    this.pool = ConnectionProvider.builder("bench")
        .maxConnections(Math.max(1, connections))
        .pendingAcquireMaxCount(-1)
        .pendingAcquireTimeout(timeout)
        .build();
    this.client = HttpClient.create(pool)
        .baseUrl(url.getScheme() + "://" + url.getAuthority())
        .keepAlive(true)
        .responseTimeout(timeout)
        .headers(h -> h.set(HttpHeaderNames.CONTENT_TYPE, "application/json"));
    this.path = url.getRawPath();
    this.bodies = bodies;
  }

  @Override
  public void send(long seq, Consumer<Outcome> done) {
    client.post()
        .uri(path)
        .send(ByteBufFlux.fromString(Mono.just(bodies.apply(seq))))
        .responseSingle((response, body) -> body.asString().defaultIfEmpty("")
            .map(text -> classify(response.status().code(),
                response.responseHeaders().contains(HttpHeaderNames.RETRY_AFTER), text)))
        .subscribe(done, error -> done.accept(Outcome.ERROR));
  }

  /**
   * The outcome of an answer with {@code status} and {@code body}: a 503 counts as an opted-in
   * rejection only with the {@code Retry-After} the contract promises. Both APIs mark a default
   * with {@code "default": true}: Clipper's answer in its own field, a V2 infer answer in its
   * response {@code parameters}.
   */
  static Outcome classify(int status, boolean retryAfter, String body) {
    if (status == 503 && retryAfter) {
      return Outcome.REJECTED;
    }
    if (status != 200) {
      return Outcome.NON_200;
    }
    return body.contains("\"default\":true") || body.contains("\"default\": true")
        ? Outcome.DEFAULT : Outcome.OK;
  }

  @Override
  public void close() {
    pool.disposeLater().block(Duration.ofSeconds(5));
  }
}
