package ai.clipper.frontend.selection;

import ai.clipper.frontend.metrics.MeterNames;
import ai.clipper.metadata.ModelId;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/**
 * {@code clipper_selections_total{app, model}}: queries a policy sent to a model version;
 * {@code clipper_feedback_total{app, model}}: feedbacks that scored it.
 */
@Component
public class SelectionMetrics {

  private final MeterRegistry registry;

  SelectionMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  public void selected(String app, ModelId model) {
    Counter.builder(MeterNames.SELECTIONS)
        .description("Queries sent to a model version by the app's selection policy")
        .tag("app", app).tag("model", model.toString())
        .register(registry).increment();
  }

  public void feedback(String app, ModelId model) {
    Counter.builder(MeterNames.FEEDBACK)
        .description("Feedbacks (POST /{app}/update) that scored a model version")
        .tag("app", app).tag("model", model.toString())
        .register(registry).increment();
  }
}
