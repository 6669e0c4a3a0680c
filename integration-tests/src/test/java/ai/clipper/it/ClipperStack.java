package ai.clipper.it;

import ai.clipper.metadata.localredis.LocalRedis;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Redis (persisted to a data directory of its own, as {@code ./clipper up} runs it), the
 * management service and the query frontend on free ports, as a user runs them; each part can be
 * killed and started again on the same port.
 */
final class ClipperStack implements AutoCloseable {

  private final Path redisData;
  LocalRedis redis;
  ServiceProcess management;
  final ServiceProcess frontend;
  /** The frontend's V2 gRPC port. */
  final int frontendGrpcPort;
  final HttpJson admin;
  final HttpJson queries;

  private ClipperStack(Path redisData, LocalRedis redis, ServiceProcess management,
      ServiceProcess frontend, int frontendGrpcPort) {
    this.redisData = redisData;
    this.redis = redis;
    this.management = management;
    this.frontend = frontend;
    this.frontendGrpcPort = frontendGrpcPort;
    this.admin = new HttpJson(management.url());
    this.queries = new HttpJson(frontend.url());
  }

  static ClipperStack start() throws IOException {
    return start(List.of(), List.of());
  }

  /** A stack whose management service and frontend get more arguments. */
  static ClipperStack start(List<String> managementArgs, List<String> frontendArgs)
      throws IOException {
    Path redisData = Files.createTempDirectory("clipper-it-redis-");
    LocalRedis redis = LocalRedis.start(LocalRedis.freePort(), redisData);
    List<String> management = new ArrayList<>(redisArgs(redis.port()));
    management.addAll(managementArgs);
    int grpcPort = LocalRedis.freePort();
    List<String> frontend = new ArrayList<>(List.of("--spring.data.redis.port=" + redis.port(),
        grpcPortArgument(grpcPort)));
    frontend.addAll(frontendArgs);
    return new ClipperStack(redisData, redis,
        startManagement(management, LocalRedis.freePort(), artifacts(redisData)),
        ServiceProcess.start("query-frontend-service", LocalRedis.freePort(), frontend),
        grpcPort);
  }

  /** Where the management service keeps model artifacts: kept across its restarts. */
  private static Path artifacts(Path redisData) {
    return Path.of(redisData + "-artifacts");
  }

  private static List<String> redisArgs(int redisPort) {
    return List.of("--spring.data.redis.port=" + redisPort);
  }

  /**
   * A management service on {@code port} that finds Redis through {@code redisArgs} and runs the
   * example models as local processes.
   */
  static ServiceProcess startManagement(List<String> redisArgs, int port, Path artifacts)
      throws IOException {
    Path root = Path.of(System.getProperty("clipper.root", "..")).toAbsolutePath().normalize();
    List<String> args = new ArrayList<>(redisArgs);
    args.addAll(List.of(
        "--clipper.management.process.models-root=" + root.resolve("examples/models"),
        "--clipper.management.process.runtimes-root=" + root.resolve("runtimes"),
        "--clipper.management.artifacts.dir=" + artifacts));
    return ServiceProcess.start("management-service", port, args);
  }

  /** {@code kill -9} of Redis, then a Redis on the same port and data directory. */
  void killAndRestartRedis(Duration down) throws InterruptedException {
    redis.kill();
    Thread.sleep(down.toMillis());
    redis = LocalRedis.start(redis.port(), redisData);
  }

  /** Stops Redis and starts an empty one on its port, as if its data were lost. */
  void replaceRedisWithAnEmptyOne() throws IOException {
    redis.close();
    deleteContents();
    redis = LocalRedis.start(redis.port(), redisData);
  }

  /** {@code kill -9} of the management service (its replicas run on), then one on its port. */
  void killAndRestartManagement() throws IOException {
    management.process().destroyForcibly();
    try {
      management.process().waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    management = startManagement(redisArgs(redis.port()), management.port(),
        artifacts(redisData));
  }

  /** Another query frontend on the same Redis, e.g. a second instance or a restarted one. */
  ServiceProcess startFrontend() throws IOException {
    return startFrontend(LocalRedis.freePort());
  }

  /** Another query frontend, with its V2 gRPC service on {@code grpcPort} and more arguments. */
  ServiceProcess startFrontend(int grpcPort, String... args) throws IOException {
    return startFrontendOn(LocalRedis.freePort(), grpcPort, args);
  }

  /** A query frontend on the given ports, e.g. one restarted where a load balancer expects it. */
  ServiceProcess startFrontendOn(int port, int grpcPort, String... args) throws IOException {
    List<String> all = new ArrayList<>(List.of(
        "--spring.data.redis.port=" + redis.port(), grpcPortArgument(grpcPort)));
    all.addAll(List.of(args));
    return ServiceProcess.start("query-frontend-service", port, all);
  }

  /** Every frontend gets its own gRPC port, so none competes for the default 1339. */
  static String grpcPortArgument(int port) {
    return "--clipper.frontend.v2.grpc-port=" + port;
  }

  /**
   * An app of {@code inputType} at {@code sloMicros} linked to a new model (version 1) run by
   * {@code container} with the environment {@code env} (a JSON object), through the admin API.
   */
  void deploy(String app, String inputType, long sloMicros, String model, String container,
      String env) {
    admin.ok("/admin/add_app", """
        {"name": "%s", "input_type": "%s", "default_output": "-1",
         "latency_slo_micros": %d}""".formatted(app, inputType, sloMicros));
    admin.ok("/admin/add_model", """
        {"model_name": "%s", "model_version": "1", "input_type": "%s",
         "container_name": "%s", "env": %s}""".formatted(model, inputType, container, env));
    admin.ok("/admin/add_model_links",
        "{\"app_name\": \"%s\", \"model_names\": [\"%s\"]}".formatted(app, model));
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

  /**
   * The slowest answer of an app's recent queries, as the frontend measured it from each request's
   * arrival (its latency timer's max): unlike a client's stopwatch, it leaves out the client's own
   * threads waiting for a core on a loaded machine.
   */
  Duration slowestAnswer(String app) {
    String metric = "clipper_prediction_latency_seconds_max{app=\"" + app + "\"} ";
    return queries.get("/actuator/prometheus").body().lines()
        .filter(line -> line.startsWith(metric))
        .map(line -> Duration.ofNanos((long) (Double.parseDouble(
            line.substring(metric.length()).trim()) * 1e9)))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + metric + "in the frontend's metrics"));
  }

  /** The replica processes the management service launched for a model (any version). */
  List<ProcessHandle> replicaProcesses(String model) {
    return management.process().descendants()
        .filter(p -> proc(p, "environ").contains("CLIPPER_MODEL_NAME=" + model + "\n"))
        .toList();
  }

  /**
   * A file of the process in Linux's /proc ({@code environ}, {@code cmdline}), its NUL
   * separators as new lines; empty when the process is gone.
   */
  static String proc(ProcessHandle process, String file) {
    try {
      return Files.readString(Path.of("/proc", Long.toString(process.pid()), file))
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
    deleteContents(redisData);
    redisData.toFile().delete();
    deleteContents(artifacts(redisData));
    artifacts(redisData).toFile().delete();
  }

  private void deleteContents() {
    deleteContents(redisData);
  }

  private static void deleteContents(Path dir) {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).filter(path -> !path.equals(dir))
          .forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
