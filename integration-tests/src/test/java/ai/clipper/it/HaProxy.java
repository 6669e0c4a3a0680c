package ai.clipper.it;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A real {@code haproxy} in front of query frontends, with the config that
 * {@code ./clipper up --frontends N} renders from {@code deploy/haproxy}: the tests exercise what
 * users run.
 */
final class HaProxy implements AutoCloseable {

  /** A frontend as HAProxy sees it: its HTTP port (checked for readiness) and V2 gRPC port. */
  record Server(int port, int grpcPort) {
  }

  private final ExternalProcess process;
  private final int port;

  private HaProxy(ExternalProcess process, int port) {
    this.process = process;
    this.port = port;
  }

  /** Whether {@code haproxy} runs on this machine ({@code apt-get install -y haproxy}). */
  static boolean installed() {
    return ExternalProcess.installed("haproxy", "-v");
  }

  /** HAProxy on {@code port} (HTTP) and {@code grpcPort}, servers f1, f2, ... in this order. */
  static HaProxy start(int port, int grpcPort, List<Server> servers) {
    ScratchDirectory dir = ScratchDirectory.create("haproxy");
    List<String> listeners = new ArrayList<>(List.of("127.0.0.1", Integer.toString(port),
        Integer.toString(grpcPort), dir.resolve("stats.sock").toString()));
    servers.forEach(s -> listeners.add("127.0.0.1:" + s.port() + ":" + s.grpcPort()));
    Path config = dir.resolve("haproxy.cfg");
    ExternalProcess.render("deploy/haproxy/render.sh", listeners, config);
    return new HaProxy(ExternalProcess.start("haproxy", dir,
        new ProcessBuilder("haproxy", "-db", "-f", config.toString())), port);
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
  String log() {
    return process.log();
  }

  @Override
  public void close() {
    process.close();
  }
}
