package ai.clipper.management.api;

import ai.clipper.management.AdminClient;
import ai.clipper.management.TestRedis;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The management service on a random port against a real Redis, shared by the API tests. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
abstract class RunningService {

  private static final AtomicInteger NAMES = new AtomicInteger();

  @LocalServerPort
  int port;

  AdminClient admin;

  @DynamicPropertySource
  static void redis(DynamicPropertyRegistry registry) {
    registry.add("spring.data.redis.port", TestRedis::port);
    registry.add("clipper.management.redis-prefix", () -> "api-test:");
  }

  @BeforeEach
  void client() {
    admin = new AdminClient(port);
  }

  /** A fresh name per use, so tests sharing the Redis never collide. */
  static String unique(String base) {
    return base + "-" + NAMES.incrementAndGet();
  }
}
