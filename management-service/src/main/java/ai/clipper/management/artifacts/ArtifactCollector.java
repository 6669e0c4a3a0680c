package ai.clipper.management.artifacts;

import ai.clipper.management.metadata.MetadataStore;
import ai.clipper.metadata.Model;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Deletes the artifacts no model in Redis names ({@link ArtifactStore#collect}): at once when a
 * model version is deleted, and every ten minutes for uploads no {@code add_model} claimed in
 * time.
 */
@Component
public class ArtifactCollector implements SmartLifecycle {

  private static final Logger LOG = LoggerFactory.getLogger(ArtifactCollector.class);
  private static final Duration EVERY = Duration.ofMinutes(10);

  private final ArtifactStore artifacts;
  private final MetadataStore metadata;
  private ScheduledExecutorService schedule;

  public ArtifactCollector(ArtifactStore artifacts, MetadataStore metadata) {
    this.artifacts = artifacts;
    this.metadata = metadata;
  }

  /** Deletes what no model uses now; returns how many artifacts went. */
  public int collect() {
    return artifacts.collect(() -> metadata.models().stream().map(Model::modelDataPath)
        .filter(Artifact::isDigest).collect(Collectors.toSet()));
  }

  private void collectQuietly() {
    try {
      collect();
    } catch (RuntimeException e) { // Redis away: the next round tries again
      LOG.warn("Could not collect unused artifacts: {}", e.toString());
    }
  }

  @Override
  public synchronized void start() {
    schedule = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "artifact-collector");
      thread.setDaemon(true);
      return thread;
    });
    schedule.scheduleWithFixedDelay(this::collectQuietly, EVERY.toSeconds(), EVERY.toSeconds(),
        TimeUnit.SECONDS);
  }

  @Override
  public synchronized void stop() {
    if (schedule != null) {
      schedule.shutdownNow();
      schedule = null;
    }
  }

  @Override
  public synchronized boolean isRunning() {
    return schedule != null;
  }
}
