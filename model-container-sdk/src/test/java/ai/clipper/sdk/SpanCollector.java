package ai.clipper.sdk;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;

/**
 * A real HTTP endpoint standing in for a span collector (Zipkin or OTLP): keeps what is POSTed,
 * unzipped as a collector reads it.
 */
final class SpanCollector implements AutoCloseable {

  /** One POST as it arrived. */
  record Post(String path, String contentType, byte[] body) {
  }

  private final HttpServer server;
  private final List<Post> posts = new CopyOnWriteArrayList<>();

  SpanCollector() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      try (exchange) {
        InputStream body = "gzip".equals(exchange.getRequestHeaders()
            .getFirst("Content-Encoding")) ? new GZIPInputStream(exchange.getRequestBody())
            : exchange.getRequestBody();
        posts.add(new Post(exchange.getRequestURI().getPath(),
            exchange.getRequestHeaders().getFirst("Content-Type"), body.readAllBytes()));
        exchange.sendResponseHeaders(202, -1);
      }
    });
    server.start();
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  List<Post> posts() {
    return posts;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
