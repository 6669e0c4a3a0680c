package ai.clipper.sdk.internal;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collection;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Sends spans as Zipkin v2 JSON with the JDK's HTTP client: OpenTelemetry's Zipkin exporter is not
 * published for the SDK version we use. Tags and error status as that exporter writes them.
 */
final class ZipkinSpanExporter implements SpanExporter {

  private static final Logger LOG = Logger.getLogger(ZipkinSpanExporter.class.getName());
  private static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");

  private final HttpClient client = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5)).build();
  private final URI endpoint;

  ZipkinSpanExporter(URI endpoint) {
    this.endpoint = endpoint;
  }

  @Override
  public CompletableResultCode export(Collection<SpanData> spans) {
    CompletableResultCode result = new CompletableResultCode();
    HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json(spans))).build();
    client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, e) -> {
      if (e == null && response.statusCode() / 100 == 2) {
        result.succeed();
      } else {
        LOG.log(Level.FINE, () -> "Zipkin refused " + spans.size() + " spans: "
            + (e != null ? e : "HTTP " + response.statusCode()));
        result.fail();
      }
    });
    return result;
  }

  static String json(Collection<SpanData> spans) {
    StringJoiner all = new StringJoiner(",", "[", "]");
    for (SpanData span : spans) {
      StringBuilder out = new StringBuilder("{\"traceId\":\"").append(span.getTraceId())
          .append("\",\"id\":\"").append(span.getSpanId()).append('"');
      if (span.getParentSpanContext().isValid()) {
        out.append(",\"parentId\":\"").append(span.getParentSpanId()).append('"');
      }
      out.append(",\"name\":").append(string(span.getName()));
      if (span.getKind() != SpanKind.INTERNAL) {
        out.append(",\"kind\":\"").append(span.getKind()).append('"');
      }
      long start = TimeUnit.NANOSECONDS.toMicros(span.getStartEpochNanos());
      long end = TimeUnit.NANOSECONDS.toMicros(span.getEndEpochNanos());
      out.append(",\"timestamp\":").append(start)
          .append(",\"duration\":").append(Math.max(1, end - start))
          .append(",\"localEndpoint\":{\"serviceName\":")
          .append(string(span.getResource().getAttribute(SERVICE_NAME))).append('}');
      StringJoiner tags = new StringJoiner(",", ",\"tags\":{", "}");
      span.getAttributes().forEach((key, value) ->
          tags.add(string(key.getKey()) + ":" + string(String.valueOf(value))));
      if (span.getStatus().getStatusCode() == StatusCode.ERROR) {
        tags.add("\"otel.status_code\":\"ERROR\"");
        tags.add("\"error\":" + string(span.getStatus().getDescription()));
      }
      all.add(out.append(tags).append('}'));
    }
    return all.toString();
  }

  private static String string(String text) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : String.valueOf(text).toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        default -> out.append(c < 0x20 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
      }
    }
    return out.append('"').toString();
  }

  @Override
  public CompletableResultCode flush() {
    return CompletableResultCode.ofSuccess();
  }

  @Override
  public CompletableResultCode shutdown() {
    return CompletableResultCode.ofSuccess();
  }
}
