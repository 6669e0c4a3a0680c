package ai.clipper.management;

import ai.clipper.metadata.localredis.LocalRedis;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/** One real Redis on a free port for the whole test run; each test context uses its own prefix. */
public final class TestRedis {

  private static LocalRedis redis;

  private TestRedis() {
  }

  public static synchronized int port() {
    if (redis == null) {
      redis = LocalRedis.start();
      Runtime.getRuntime().addShutdownHook(new Thread(redis::close));
    }
    return redis.port();
  }

  /** A started connection factory to the test run's Redis; the caller destroys it. */
  public static LettuceConnectionFactory connect() {
    return connect(port());
  }

  /** A started connection factory to the Redis on {@code port}; the caller destroys it. */
  public static LettuceConnectionFactory connect(int port) {
    LettuceConnectionFactory connections =
        new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", port));
    connections.afterPropertiesSet();
    connections.start();
    return connections;
  }
}
