package ai.clipper.it;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.clipper.metadata.localredis.LocalRedis;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Redis (persisted to a data directory of its own, as {@code ./clipper up} runs it, or a
 * replicated one), the management service and the query frontend on free ports, as a user runs
 * them; each part can be killed and started again on the same port. A JUnit extension: it runs from before a test
 * class's {@code @BeforeAll} to after its {@code @AfterAll}, so an IT says only what its stack
 * needs:
 * <pre>{@code
 * @RegisterExtension
 * static final ClipperStack stack = ClipperStack.builder()
 *     .frontendArgs("--management.tracing.sampling.probability=1.0").build();
 * }</pre>
 */
final class ClipperStack implements BeforeAllCallback, AfterAllCallback {

  private final Options options;
  private ScratchDirectory redisData;
  /** Where the management service keeps model artifacts: kept across its restarts. */
  private ScratchDirectory artifacts;
  private ZipkinServer zipkin;
  /** Redis as {@code ./clipper up} runs it; none when the stack runs on a replicated Redis. */
  LocalRedis redis;
  /** The replicated Redis the stack runs on, if built with {@link Builder#on}. */
  ReplicatedRedis replicatedRedis;
  /** Where the services find Redis: Spring's {@code spring.data.redis.*} arguments. */
  private List<String> redisArgs;
  ServiceProcess management;
  /** The first of {@link #frontends}, the one {@link #queries} asks. */
  ServiceProcess frontend;
  /** Every frontend the stack started, each with its own ports. */
  List<ServiceProcess> frontends;
  /** The frontend's V2 gRPC port. */
  int frontendGrpcPort;
  HttpJson admin;
  HttpJson queries;

  private ClipperStack(Options options) {
    this.options = options;
  }

  static Builder builder() {
    return new Builder();
  }

  /** Redis, the management service and one frontend, with their defaults. */
  static ClipperStack withDefaults() {
    return builder().build();
  }

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    options.requirements.forEach(r -> assumeTrue(r.met().getAsBoolean(), r.skipping()));
    List<String> managementArgs = new ArrayList<>(options.managementArgs);
    List<String> frontendArgs = new ArrayList<>(options.frontendArgs);
    if (options.tracing) {
      zipkin = ZipkinServer.start();
      managementArgs.add("--clipper.management.containers.tracing.zipkin-endpoint="
          + zipkin.spansUrl());
      frontendArgs.addAll(List.of("--management.tracing.export.zipkin.enabled=true",
          "--management.tracing.export.zipkin.endpoint=" + zipkin.spansUrl()));
    }
    artifacts = ScratchDirectory.create("artifacts");
    if (options.replicatedRedis == null) {
      redisData = ScratchDirectory.create("redis");
      redis = LocalRedis.start(LocalRedis.freePort(), redisData.path());
      redisArgs = List.of("--spring.data.redis.port=" + redis.port());
    } else {
      replicatedRedis = options.replicatedRedis.get();
      redisArgs = replicatedRedis.springArgs();
    }
    management = startManagementOn(LocalRedis.freePort(), managementArgs.toArray(String[]::new));
    admin = new HttpJson(management.url());
    frontendGrpcPort = LocalRedis.freePort();
    frontends = new ArrayList<>();
    frontends.add(startFrontendOn(LocalRedis.freePort(), frontendGrpcPort,
        frontendArgs.toArray(String[]::new)));
    for (int i = 1; i < options.frontends; i++) {
      frontends.add(startFrontend(LocalRedis.freePort(), frontendArgs.toArray(String[]::new)));
    }
    frontend = frontends.get(0);
    queries = new HttpJson(frontend.url());
  }

  /** The Zipkin server the stack traces to (built with {@link Builder#tracingToZipkin()}). */
  ZipkinServer zipkin() {
    if (zipkin == null) {
      throw new IllegalStateException("no Zipkin: build the stack with tracingToZipkin()");
    }
    return zipkin;
  }

  /** Another management service on the same Redis and artifacts, e.g. an upgraded one. */
  ServiceProcess startManagement() {
    return startManagementOn(LocalRedis.freePort());
  }

  /**
   * A management service on {@code port} that runs the example models as local processes, with
   * more arguments.
   */
  private ServiceProcess startManagementOn(int port, String... args) {
    Path root = Path.of(System.getProperty("clipper.root", "..")).toAbsolutePath().normalize();
    List<String> all = new ArrayList<>(redisArgs);
    all.addAll(List.of(
        "--clipper.management.process.models-root=" + root.resolve("examples/models"),
        "--clipper.management.process.runtimes-root=" + root.resolve("runtimes"),
        "--clipper.management.artifacts.dir=" + artifacts.path()));
    all.addAll(List.of(args));
    return ServiceProcess.start("management-service", port, all);
  }

  /** {@code kill -9} of Redis, then a Redis on the same port and data directory. */
  void killAndRestartRedis(Duration down) throws InterruptedException {
    redis.kill();
    Thread.sleep(down.toMillis());
    redis = LocalRedis.start(redis.port(), redisData.path());
  }

  /** Stops Redis and starts an empty one on its port, as if its data were lost. */
  void replaceRedisWithAnEmptyOne() throws IOException {
    redis.close();
    redisData.clear();
    redis = LocalRedis.start(redis.port(), redisData.path());
  }

  /** {@code kill -9} of the management service (its replicas run on), then one on its port. */
  void killAndRestartManagement() {
    management.process().destroyForcibly();
    management.close(); // waits until it is gone, and deletes its log
    management = startManagementOn(management.port());
  }

  /** Another query frontend on the same Redis, e.g. a second instance or a restarted one. */
  ServiceProcess startFrontend() {
    return startFrontend(LocalRedis.freePort());
  }

  /** Another query frontend, with its V2 gRPC service on {@code grpcPort} and more arguments. */
  ServiceProcess startFrontend(int grpcPort, String... args) {
    return startFrontendOn(LocalRedis.freePort(), grpcPort, args);
  }

  /** A query frontend on the given ports, e.g. one restarted where a load balancer expects it. */
  ServiceProcess startFrontendOn(int port, int grpcPort, String... args) {
    List<String> all = new ArrayList<>(redisArgs);
    // every frontend gets its own gRPC port, so none competes for the default 1339
    all.add("--clipper.frontend.v2.grpc-port=" + grpcPort);
    all.addAll(List.of(args));
    return ServiceProcess.start("query-frontend-service", port, all);
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

  /** Stops what started, in reverse order, and deletes its data. */
  @Override
  public void afterAll(ExtensionContext context) {
    IllegalStateException failure = new IllegalStateException("could not stop the stack");
    List<AutoCloseable> parts = new ArrayList<>();
    if (frontends != null) {
      parts.addAll(frontends);
    }
    parts.addAll(Arrays.asList(management, redis, replicatedRedis, redisData, artifacts, zipkin));
    for (AutoCloseable part : parts) {
      try {
        if (part != null) {
          part.close();
        }
      } catch (Exception e) {
        failure.addSuppressed(e);
      }
    }
    frontend = null;
    frontends = null;
    replicatedRedis = null;
    management = null;
    redis = null;
    redisData = null;
    artifacts = null;
    zipkin = null;
    if (failure.getSuppressed().length > 0) {
      throw failure;
    }
  }

  /** What a test class's stack needs beyond the defaults. */
  static final class Builder {

    private final List<String> managementArgs = new ArrayList<>();
    private final List<String> frontendArgs = new ArrayList<>();
    private final List<Requirement> requirements = new ArrayList<>();
    private boolean tracing;
    private Supplier<ReplicatedRedis> replicatedRedis;
    private int frontends = 1;

    private Builder() {
    }

    /** A stack on the replicated Redis {@code start} starts, instead of a single Redis. */
    Builder on(Supplier<ReplicatedRedis> start) {
      replicatedRedis = start;
      return this;
    }

    /** How many frontends on the same Redis, each on its own ports (one unless said). */
    Builder frontends(int count) {
      frontends = count;
      return this;
    }

    /** Spring {@code --key=value} arguments of the management service. */
    Builder managementArgs(String... args) {
      managementArgs.addAll(List.of(args));
      return this;
    }

    /** Spring {@code --key=value} arguments of the query frontend. */
    Builder frontendArgs(String... args) {
      frontendArgs.addAll(List.of(args));
      return this;
    }

    /**
     * Skips the class, before anything starts, unless {@code met} holds (e.g. a tool is
     * installed); {@code skipping} says why, and how to install what is missing.
     */
    Builder requires(BooleanSupplier met, String skipping) {
      requirements.add(new Requirement(met, skipping));
      return this;
    }

    /** A Zipkin server started first; both services and their model containers export to it. */
    Builder tracingToZipkin() {
      tracing = true;
      return this;
    }

    ClipperStack build() {
      return new ClipperStack(new Options(List.copyOf(managementArgs), List.copyOf(frontendArgs),
          List.copyOf(requirements), tracing, replicatedRedis, frontends));
    }
  }

  /** What a {@link Builder} was told. */
  private record Options(List<String> managementArgs, List<String> frontendArgs,
      List<Requirement> requirements, boolean tracing, Supplier<ReplicatedRedis> replicatedRedis,
      int frontends) {
  }

  /** What must hold on this machine for a class to run, and the skip message if it does not. */
  private record Requirement(BooleanSupplier met, String skipping) {
  }
}
