package ai.clipper.it;

import ai.clipper.metadata.localredis.LocalRedis;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Redis, the management service and the query frontend on free ports, as a user runs them. */
final class ClipperStack implements AutoCloseable {

  final LocalRedis redis;
  final ServiceProcess management;
  final ServiceProcess frontend;
  /** The frontend's V2 gRPC port. */
  final int frontendGrpcPort;
  final HttpJson admin;
  final HttpJson queries;

  private ClipperStack(LocalRedis redis, ServiceProcess management, ServiceProcess frontend,
      int frontendGrpcPort) {
    this.redis = redis;
    this.management = management;
    this.frontend = frontend;
    this.frontendGrpcPort = frontendGrpcPort;
    this.admin = new HttpJson(management.url());
    this.queries = new HttpJson(frontend.url());
  }

  static ClipperStack start() throws IOException {
    LocalRedis redis = LocalRedis.start();
    Path models = Path.of(System.getProperty("clipper.root", ".."), "examples", "models")
        .toAbsolutePath().normalize();
    String redisPort = "--spring.data.redis.port=" + redis.port();
    ServiceProcess management = ServiceProcess.start("management-service",
        LocalRedis.freePort(),
        List.of(redisPort, "--clipper.management.process.models-root=" + models));
    int grpcPort = LocalRedis.freePort();
    ServiceProcess frontend = ServiceProcess.start("query-frontend-service",
        LocalRedis.freePort(), List.of(redisPort, grpcPortArgument(grpcPort)));
    return new ClipperStack(redis, management, frontend, grpcPort);
  }

  /** Another query frontend on the same Redis, e.g. a second instance or a restarted one. */
  ServiceProcess startFrontend() throws IOException {
    return startFrontend(LocalRedis.freePort());
  }

  /** Another query frontend, with its V2 gRPC service on {@code grpcPort} and more arguments. */
  ServiceProcess startFrontend(int grpcPort, String... args) throws IOException {
    List<String> all = new ArrayList<>(List.of(
        "--spring.data.redis.port=" + redis.port(), grpcPortArgument(grpcPort)));
    all.addAll(List.of(args));
    return ServiceProcess.start("query-frontend-service", LocalRedis.freePort(), all);
  }

  /** Every frontend gets its own gRPC port, so none competes for the default 1339. */
  private static String grpcPortArgument(int port) {
    return "--clipper.frontend.v2.grpc-port=" + port;
  }

  /** How many replicas of a model version the management service reports UP. */
  long upReplicas(String model, String version) {
    JsonNode replicas = admin.ok("/admin/get_replicas",
        "{\"model_name\": \"%s\", \"model_version\": \"%s\"}".formatted(model, version));
    long up = 0;
    for (JsonNode replica : replicas) {
      if ("UP".equals(replica.path("status").asText())) {
        up++;
      }
    }
    return up;
  }

  /** The replica processes the management service launched for a model (any version). */
  List<ProcessHandle> replicaProcesses(String model) {
    return management.process().descendants()
        .filter(p -> environmentOf(p).contains("CLIPPER_MODEL_NAME=" + model + "\n"))
        .toList();
  }

  /** A process's environment, one variable a line (Linux's /proc). */
  private static String environmentOf(ProcessHandle process) {
    try {
      return Files.readString(Path.of("/proc", Long.toString(process.pid()), "environ"))
          .replace('\0', '\n');
    } catch (IOException gone) {
      return "";
    }
  }

  @Override
  public void close() {
    frontend.close();
    management.close();
    redis.close();
  }
}
