package ai.clipper.management;

import ai.clipper.metadata.App;
import ai.clipper.metadata.Model;
import ai.clipper.metadata.ModelId;
import ai.clipper.sdk.InputType;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The management service's beans against the test run's real Redis, for the services' tests. */
@SpringBootTest
public abstract class ServiceContext {

  private static final AtomicInteger NAMES = new AtomicInteger();

  @DynamicPropertySource
  static void redis(DynamicPropertyRegistry registry) {
    registry.add("spring.data.redis.port", TestRedis::port);
    registry.add("clipper.management.redis-prefix", () -> "service-test:");
  }

  /** A fresh name per use, so tests sharing the Redis never collide. */
  protected static String unique(String base) {
    return base + "-" + NAMES.incrementAndGet();
  }

  protected static App app(String name, InputType type) {
    return new App(name, type, "-1", 20000, App.DEFAULT_POLICY, true);
  }

  /** A version whose replicas register themselves, so adding it launches nothing. */
  protected static Model model(String name, String version, InputType type) {
    return new Model(new ModelId(name, version), type, List.of("x"), Model.NO_CONTAINER, "", -1,
        0, 0, Map.of());
  }
}
