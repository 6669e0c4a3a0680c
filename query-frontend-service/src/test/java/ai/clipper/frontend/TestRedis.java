package ai.clipper.frontend;

import ai.clipper.metadata.localredis.LocalRedis;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

/**
 * A real Redis on a free port for one test class, with a reactive template on it:
 * {@code @RegisterExtension static final TestRedis redis = new TestRedis();}.
 */
public final class TestRedis implements BeforeAllCallback, AfterAllCallback {

  private LocalRedis redis;
  private LettuceConnectionFactory factory;
  private ReactiveStringRedisTemplate template;

  @Override
  public void beforeAll(ExtensionContext context) {
    redis = LocalRedis.start();
    factory = new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1",
        redis.port()));
    factory.afterPropertiesSet();
    factory.start();
    template = new ReactiveStringRedisTemplate(factory);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    factory.destroy();
    redis.close();
  }

  public int port() {
    return redis.port();
  }

  public ReactiveStringRedisTemplate template() {
    return template;
  }
}
