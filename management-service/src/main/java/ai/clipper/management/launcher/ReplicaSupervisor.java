package ai.clipper.management.launcher;

import ai.clipper.management.config.ManagementProperties;
import ai.clipper.management.metadata.MetadataStore;
import ai.clipper.metadata.Model;
import ai.clipper.metadata.ModelId;
import ai.clipper.metadata.Replica;
import ai.clipper.metadata.Replica.Status;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Keeps the launched replicas of each model version at their desired number: records each one
 * STARTING in Redis, marks it UP once its gRPC health check answers SERVING, marks it DOWN the
 * moment its process exits and starts it again after a backoff. On startup it reattaches to (or
 * cleans up after) the replicas of a previous run and relaunches what is missing; on shutdown it
 * stops them all.
 */
@Component
@ConditionalOnExpression("'${clipper.management.launcher.type:process}' != 'kubernetes'")
public class ReplicaSupervisor implements SmartLifecycle, ReplicaScaler, ReplicaOutputs {

  private static final Logger LOG = LoggerFactory.getLogger(ReplicaSupervisor.class);
  static final Duration STOP_GRACE = Duration.ofSeconds(5);
  private static final Duration MAX_BACKOFF = Duration.ofMinutes(1);

  private final MetadataStore store;
  private final ContainerLauncher launcher;
  private final ManagementProperties.Process settings;
  private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, daemon());
  private final ExecutorService workers = Executors.newCachedThreadPool(daemon());
  private final HealthProbe probe = new HealthProbe(scheduler);
  private final Map<String, SupervisedReplica> replicas = new ConcurrentHashMap<>();
  /** What each replica last wrote before it exited, by replica, until it is UP again. */
  private final Map<String, String> lastExits = new ConcurrentHashMap<>();
  private volatile boolean running;

  public ReplicaSupervisor(MetadataStore store, ContainerLauncher launcher,
      ManagementProperties properties) {
    this.store = store;
    this.launcher = launcher;
    this.settings = properties.process();
  }

  @Override
  public Optional<String> lastExit(ModelId id, int replicaId) {
    return Optional.ofNullable(lastExits.get(SupervisedReplica.key(id, replicaId)));
  }

  @Override
  public Optional<List<String>> output(ModelId id, int replicaId, int lines) {
    return Optional.ofNullable(replicas.get(SupervisedReplica.key(id, replicaId)))
        .map(replica -> replica.container)
        .map(container -> container.output(lines));
  }

  @Override
  public void check(Model model) {
    launcher.check(model);
  }

  /** Starts or stops replicas of the model version until {@code count} are launched. */
  @Override
  public synchronized void scale(Model model, int count) {
    List<SupervisedReplica> current = launched(model.id());
    for (int i = current.size(); i < count; i++) {
      SupervisedReplica replica = new SupervisedReplica(model, store.nextReplicaId(model.id()));
      replicas.put(replica.toString(), replica);
      launch(replica);
    }
    stopAll(current.subList(Math.min(count, current.size()), current.size()));
  }

  /** Stops every launched replica of the model version and forgets them. */
  @Override
  public synchronized void stopAll(ModelId id) {
    stopAll(launched(id));
  }

  // ---- one replica's life

  private void launch(SupervisedReplica replica) {
    if (replica.stopping) {
      return;
    }
    RunningContainer container;
    try {
      container = launcher.start(replica.model, replica.replicaId);
    } catch (Exception e) {
      LOG.error("Could not start replica {}: {}", replica, e.toString());
      restartLater(replica);
      return;
    }
    replica.container = container;
    Replica record = new Replica(replica.model.id(), replica.replicaId, container.host(),
        container.port(), replica.model.inputType(), Status.STARTING);
    if (!store.putReplica(record, container.launchInfo())) {
      LOG.info("Model {} was deleted while replica {} started; stopping it", record.model(), replica);
      replica.stopping = true;
      replicas.remove(replica.toString());
      workers.execute(() -> container.stop(STOP_GRACE));
      return;
    }
    watch(replica, container, Status.STARTING);
  }

  private void watch(SupervisedReplica replica, RunningContainer container, Status status) {
    container.onExit().whenComplete((ignored, error) -> exited(replica, container));
    if (status == Status.UP) {
      return;
    }
    probe.awaitServing(container.host(), container.port(), settings.healthTimeout(),
            () -> replica.isCurrent(container) && !container.onExit().isDone())
        .thenAccept(serving -> healthChecked(replica, container, serving));
  }

  private void healthChecked(SupervisedReplica replica, RunningContainer container,
      boolean serving) {
    if (!replica.isCurrent(container) || container.onExit().isDone()) {
      return;
    }
    if (serving) {
      store.setReplicaStatus(replica.model.id(), replica.replicaId, Status.UP);
      lastExits.remove(replica.toString());
      replica.crashesInRow = 0;
      LOG.info("Replica {} ({}) is UP", replica, container);
    } else {
      LOG.warn("Replica {} ({}) not SERVING within {}; restarting it", replica, container,
          settings.healthTimeout());
      workers.execute(() -> container.stop(STOP_GRACE)); // its exit triggers the restart
    }
  }

  private void exited(SupervisedReplica replica, RunningContainer container) {
    if (!replica.isCurrent(container)) {
      return;
    }
    String output = container.lastOutput();
    LOG.warn("Replica {} ({}) exited; marking it DOWN{}", replica, container,
        output.isEmpty() ? "" : ". Its last output:\n" + output);
    if (!output.isEmpty()) {
      lastExits.put(replica.toString(), output);
    }
    store.setReplicaStatus(replica.model.id(), replica.replicaId, Status.DOWN);
    restartLater(replica);
  }

  private void restartLater(SupervisedReplica replica) {
    int crashes = replica.crashesInRow++;
    Duration backoff = settings.restartBackoff().multipliedBy(1L << Math.min(crashes, 6));
    Duration delay = backoff.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff;
    LOG.info("Restarting replica {} in {}", replica, delay);
    scheduler.schedule(() -> workers.execute(() -> relaunch(replica)), delay.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  private void relaunch(SupervisedReplica replica) {
    synchronized (this) {
      if (running && !replica.stopping) {
        launch(replica);
      }
    }
  }

  private void stopAll(List<SupervisedReplica> toStop) {
    // forget them in Redis first, so frontends stop routing before the processes stop
    for (SupervisedReplica replica : toStop) {
      replica.stopping = true;
      replicas.remove(replica.toString());
      try {
        store.removeReplica(replica.model.id(), replica.replicaId);
      } catch (RuntimeException e) {
        LOG.warn("Could not remove replica {} from Redis: {}", replica, e.toString());
      }
    }
    CompletableFuture.allOf(toStop.stream()
        .filter(replica -> replica.container != null)
        .map(replica -> CompletableFuture.runAsync(
            () -> replica.container.stop(STOP_GRACE), workers))
        .toArray(CompletableFuture[]::new)).join();
  }

  private List<SupervisedReplica> launched(ModelId id) {
    return replicas.values().stream()
        .filter(replica -> replica.model.id().equals(id))
        .sorted(Comparator.comparingInt(replica -> replica.replicaId))
        .toList();
  }

  // ---- the service's life

  /** Reattaches to the replicas of a previous run, cleans up the dead, relaunches the missing. */
  @Override
  public synchronized void start() {
    running = true;
    try {
      for (Replica record : store.replicas()) {
        reattachOrForget(record);
      }
      for (Model model : store.models()) {
        if (model.launchesContainers() && model.numReplicas() > 0) {
          scale(model, model.numReplicas());
        }
      }
    } catch (RuntimeException e) {
      LOG.error("Could not reconcile the replicas recorded in Redis: {}", e.toString());
    }
  }

  private void reattachOrForget(Replica record) {
    Map<String, String> launchInfo = store.launchInfo(record.model(), record.replicaId());
    if (launchInfo.isEmpty()) {
      return; // registered itself (NO_CONTAINER): not ours to manage
    }
    Model model = store.model(record.model()).orElse(null);
    RunningContainer container = launcher.reattach(record, launchInfo).orElse(null);
    boolean wanted = model != null && launched(model.id()).size() < model.numReplicas();
    if (container != null && wanted) {
      SupervisedReplica replica = new SupervisedReplica(model, record.replicaId());
      replica.container = container;
      replicas.put(replica.toString(), replica);
      LOG.info("Reattached to replica {} ({}), {}", replica, container, record.status());
      watch(replica, container, record.status());
      return;
    }
    LOG.info("Cleaning up replica {} of a previous run", record.key());
    store.removeReplica(record.model(), record.replicaId());
    if (container != null) {
      container.stop(STOP_GRACE);
    }
  }

  /** Stops every launched replica (SIGTERM, then kill after 5 s) and removes them from Redis. */
  @Override
  public synchronized void stop() {
    running = false;
    try {
      stopAll(List.copyOf(replicas.values()));
    } catch (RuntimeException e) {
      LOG.warn("Could not stop every replica cleanly: {}", e.toString());
    }
    scheduler.shutdownNow();
    workers.shutdownNow();
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  private static java.util.concurrent.ThreadFactory daemon() {
    return runnable -> {
      Thread thread = new Thread(runnable, "replica-supervisor");
      thread.setDaemon(true);
      return thread;
    };
  }
}
