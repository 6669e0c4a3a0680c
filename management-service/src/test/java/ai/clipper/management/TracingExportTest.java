package ai.clipper.management;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.exporter.zipkin.ZipkinSpanExporter;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The switches docs/observability.md documents for where the management service's spans go. */
class TracingExportTest {

  @DynamicPropertySource
  static void redis(DynamicPropertyRegistry registry) {
    registry.add("spring.data.redis.port", TestRedis::port);
    registry.add("clipper.management.redis-prefix", () -> "tracing-test:");
  }

  @Nested
  @SpringBootTest
  class ByDefault {

    @Autowired
    ApplicationContext context;

    @Test
    void exportsToZipkinOnly() {
      assertThat(context.getBeansOfType(SpanExporter.class).values())
          .singleElement().isInstanceOf(ZipkinSpanExporter.class);
    }
  }

  @Nested
  @SpringBootTest(properties = {
      "management.opentelemetry.tracing.export.otlp.endpoint=http://127.0.0.1:4318/v1/traces",
      "management.tracing.export.zipkin.enabled=false"})
  class WithAnOtlpEndpointAndZipkinOff {

    @Autowired
    ApplicationContext context;

    @Test
    void exportsOverOtlpOnly() {
      assertThat(context.getBeansOfType(SpanExporter.class).values())
          .singleElement().satisfies(exporter ->
              assertThat(exporter.getClass().getSimpleName()).isEqualTo("OtlpHttpSpanExporter"));
    }
  }
}
