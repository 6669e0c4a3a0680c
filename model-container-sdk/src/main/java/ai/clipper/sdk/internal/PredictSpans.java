package ai.clipper.sdk.internal;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import java.util.List;

/** The {@code predict} spans of one batch, ended together when the model is done with it. */
final class PredictSpans {

  static final PredictSpans NONE = new PredictSpans(List.of());

  private final List<Span> spans;

  PredictSpans(List<Span> spans) {
    this.spans = spans;
  }

  void succeeded() {
    spans.forEach(Span::end);
  }

  void failed(Throwable failure) {
    spans.forEach(span -> span.setStatus(StatusCode.ERROR, failure.toString()).end());
  }
}
