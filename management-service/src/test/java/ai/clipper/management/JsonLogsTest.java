package ai.clipper.management;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * With the documented switch on ({@code LOGGING_STRUCTURED_FORMAT_CONSOLE=logstash}), every log
 * line is a JSON object, and a line logged inside a span carries its trace and span ids.
 */
@SpringBootTest(properties = {"logging.structured.format.console=logstash",
    "management.tracing.sampling.probability=1.0", "management.tracing.export.enabled=false"})
@ExtendWith(OutputCaptureExtension.class)
class JsonLogsTest {

  private static final Logger LOG = LoggerFactory.getLogger(JsonLogsTest.class);
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @Autowired
  Tracer tracer;

  @DynamicPropertySource
  static void redis(DynamicPropertyRegistry registry) {
    registry.add("spring.data.redis.port", TestRedis::port);
    registry.add("clipper.management.redis-prefix", () -> "json-logs-test:");
  }

  @Test
  void logsJsonLinesWithTheTraceAndSpanIdsOfTheCurrentSpan(CapturedOutput output) {
    Span span = tracer.nextSpan().name("admin-call").start();
    try (Tracer.SpanInScope scope = tracer.withSpan(span)) {
      LOG.info("inside a traced call");
    } finally {
      span.end();
    }
    LOG.info("outside any span");

    List<JsonNode> lines = output.getOut().lines().filter(line -> !line.isBlank())
        .map(JSON::readTree).toList();
    JsonNode traced = lines.stream()
        .filter(line -> line.path("message").asString().equals("inside a traced call"))
        .findFirst().orElseThrow();
    assertThat(traced.path("traceId").asString()).isEqualTo(span.context().traceId());
    assertThat(traced.path("spanId").asString()).isEqualTo(span.context().spanId());
    assertThat(traced.path("level").asString()).isEqualTo("INFO");
    assertThat(lines).anySatisfy(line -> {
      assertThat(line.path("message").asString()).isEqualTo("outside any span");
      assertThat(line.has("traceId")).isFalse();
    });
  }
}
