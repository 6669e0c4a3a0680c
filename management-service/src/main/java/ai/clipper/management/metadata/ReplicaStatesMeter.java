package ai.clipper.management.metadata;

import ai.clipper.metadata.Replica;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The gauge {@code clipper_management_replicas{model="name:version",state}}: how many replicas of
 * each model version Redis records in each state (0 rows included, so a dashboard sees a state
 * empty rather than absent). Redis is re-read once a second when its version counter moved, which
 * every replica change bumps, so the gauge follows changes made by any management instance.
 */
@Component
class ReplicaStatesMeter implements SmartLifecycle {

  static final String NAME = "clipper_management_replicas";
  private static final Logger LOG = LoggerFactory.getLogger(ReplicaStatesMeter.class);

  private final MetadataStore store;
  private final MultiGauge gauge;
  private ScheduledExecutorService refreshes;
  private long seenVersion = -1;

  ReplicaStatesMeter(MetadataStore store, MeterRegistry meters) {
    this.store = store;
    this.gauge = MultiGauge.builder(NAME)
        .description("Replicas recorded in Redis, by model version and state")
        .register(meters);
  }

  /** Re-reads the replicas when anything changed since the last read. */
  synchronized void refresh() {
    long version = store.version();
    if (version == seenVersion) {
      return;
    }
    Map<String, Map<Replica.Status, Long>> counts = store.replicas().stream()
        .collect(Collectors.groupingBy(replica -> replica.model().toString(),
            Collectors.groupingBy(Replica::status, Collectors.counting())));
    store.models().forEach(model -> counts.putIfAbsent(model.id().toString(), Map.of()));
    List<MultiGauge.Row<?>> rows = new ArrayList<>();
    counts.forEach((model, byStatus) -> {
      for (Replica.Status status : Replica.Status.values()) {
        rows.add(MultiGauge.Row.of(Tags.of("model", model,
            "state", status.name().toLowerCase(Locale.ROOT)), byStatus.getOrDefault(status, 0L)));
      }
    });
    gauge.register(rows, true);
    seenVersion = version;
  }

  private void refreshQuietly() {
    try {
      refresh();
    } catch (RuntimeException e) {
      LOG.debug("Could not count the replicas: {}", e.toString()); // MetadataWatch says why
    }
  }

  @Override
  public synchronized void start() {
    refreshes = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "replica-states-meter");
      thread.setDaemon(true);
      return thread;
    });
    refreshes.scheduleWithFixedDelay(this::refreshQuietly, 0, 1, TimeUnit.SECONDS);
  }

  @Override
  public synchronized void stop() {
    if (refreshes != null) {
      refreshes.shutdownNow();
      refreshes = null;
    }
  }

  @Override
  public synchronized boolean isRunning() {
    return refreshes != null;
  }
}
