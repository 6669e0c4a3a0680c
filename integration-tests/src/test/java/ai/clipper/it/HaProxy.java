package ai.clipper.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code haproxy} in front of query frontends, with the config that
 * {@code ./clipper up --frontends N} renders from {@code deploy/haproxy}: the tests exercise what
 * users run.
 */
final class HaProxy implements AutoCloseable {

  /** A frontend as HAProxy sees it: its HTTP port (checked for readiness) and V2 gRPC port. */
  record Server(int port, int grpcPort) {
  }

  private final Process process;
  private final Path dir;
  private final int port;

  private HaProxy(Process process, Path dir, int port) {
    this.process = process;
    this.dir = dir;
    this.port = port;
  }

  /** Whether {@code haproxy} runs on this machine ({@code apt-get install -y haproxy}). */
  static boolean installed() {
    try {
      return new ProcessBuilder("haproxy", "-v").redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  /** HAProxy on {@code port} (HTTP) and {@code grpcPort}, servers f1, f2, ... in this order. */
  static HaProxy start(int port, int grpcPort, List<Server> servers) throws IOException {
    Path root = Path.of(System.getProperty("clipper.root", "..")).toAbsolutePath().normalize();
    Path dir = Files.createTempDirectory("clipper-it-haproxy-");
    List<String> render = new ArrayList<>(List.of(
        root.resolve("deploy/haproxy/render.sh").toString(), "127.0.0.1",
        Integer.toString(port), Integer.toString(grpcPort), dir.resolve("stats.sock").toString()));
    servers.forEach(s -> render.add("127.0.0.1:" + s.port() + ":" + s.grpcPort()));
    Path config = dir.resolve("haproxy.cfg");
    run(new ProcessBuilder(render).redirectOutput(config.toFile()));
    Process process = new ProcessBuilder("haproxy", "-db", "-f", config.toString())
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("haproxy.log").toFile())
        .start();
    return new HaProxy(process, dir, port);
  }

  private static void run(ProcessBuilder command) throws IOException {
    try {
      if (command.redirectError(ProcessBuilder.Redirect.INHERIT).start().waitFor() != 0) {
        throw new IllegalStateException("failed: " + command.command());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  String url() {
    return "http://127.0.0.1:" + port;
  }

  /**
   * How many servers of the predictions backend HAProxy has UP now, from its own Prometheus
   * exporter ({@code haproxy_server_status}).
   */
  long serversUp() {
    String up = "haproxy_server_status{proxy=\"predictions\",";
    return new HttpJson(url()).get("/haproxy/metrics").body().lines()
        .filter(line -> line.startsWith(up) && line.contains("state=\"UP\"")
            && line.endsWith(" 1"))
        .count();
  }

  /** HAProxy's log: one line per request, with its retries and redispatches. */
  String log() throws IOException {
    return Files.readString(dir.resolve("haproxy.log"));
  }

  @Override
  public void close() throws IOException {
    process.destroy();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    process.destroyForcibly();
    try (var files = Files.list(dir)) {
      files.forEach(file -> file.toFile().delete());
    }
    Files.deleteIfExists(dir);
  }
}
