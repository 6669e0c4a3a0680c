package ai.clipper.management;

import ai.clipper.metadata.localredis.LocalRedis;

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
}
