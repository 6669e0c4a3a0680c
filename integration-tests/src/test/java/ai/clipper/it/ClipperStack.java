package ai.clipper.it;

import ai.clipper.metadata.localredis.LocalRedis;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Redis, the management service and the query frontend on free ports, as a user runs them. */
final class ClipperStack implements AutoCloseable {

  final LocalRedis redis;
  final ServiceProcess management;
  final ServiceProcess frontend;
  final HttpJson admin;
  final HttpJson queries;

  private ClipperStack(LocalRedis redis, ServiceProcess management, ServiceProcess frontend) {
    this.redis = redis;
    this.management = management;
    this.frontend = frontend;
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
    ServiceProcess frontend = ServiceProcess.start("query-frontend-service",
        LocalRedis.freePort(), List.of(redisPort));
    return new ClipperStack(redis, management, frontend);
  }

  /** Another query frontend on the same Redis, e.g. a second instance or a restarted one. */
  ServiceProcess startFrontend() throws IOException {
    return ServiceProcess.start("query-frontend-service", LocalRedis.freePort(),
        List.of("--spring.data.redis.port=" + redis.port()));
  }

  @Override
  public void close() {
    frontend.close();
    management.close();
    redis.close();
  }
}
