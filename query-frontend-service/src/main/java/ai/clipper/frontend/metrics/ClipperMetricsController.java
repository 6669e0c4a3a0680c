package ai.clipper.frontend.metrics;

import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** Clipper's {@code GET /metrics}, for tools written against Clipper's JSON. */
@RestController
class ClipperMetricsController {

  private final ClipperMetricsReport report;

  ClipperMetricsController(ClipperMetricsReport report) {
    this.report = report;
  }

  @GetMapping(path = "/metrics", produces = MediaType.APPLICATION_JSON_VALUE)
  Map<String, List<Map<String, Map<String, String>>>> metrics() {
    return report.build();
  }
}
