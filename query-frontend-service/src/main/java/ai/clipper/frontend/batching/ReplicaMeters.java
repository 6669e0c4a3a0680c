package ai.clipper.frontend.batching;

import ai.clipper.frontend.metrics.MeterNames;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;

/**
 * The gauges of one replica's worker, tagged {@code model} and {@code replica} (its address):
 * batches in flight, and its circuit breaker's state as one series per state, 1 for the current.
 * Removed when the replica goes.
 */
final class ReplicaMeters implements AutoCloseable {

  private final MeterRegistry registry;
  private final List<Meter> meters = new ArrayList<>();

  ReplicaMeters(MeterRegistry registry, String model, String replica, ReplicaWorker worker) {
    this.registry = registry;
    meters.add(Gauge.builder(MeterNames.REPLICA_IN_FLIGHT, worker, ReplicaWorker::inFlight)
        .description("Batches sent to the replica and not answered yet")
        .tag("model", model)
        .tag("replica", replica)
        .register(registry));
    for (ReplicaHealth.State state : ReplicaHealth.State.values()) {
      meters.add(Gauge.builder(MeterNames.REPLICA_BREAKER_STATE, worker,
              w -> w.breakerState() == state ? 1 : 0)
          .description("The replica's circuit breaker: 1 for its current state")
          .tag("model", model)
          .tag("replica", replica)
          .tag("state", state.label())
          .register(registry));
    }
  }

  @Override
  public void close() {
    meters.forEach(registry::remove);
  }
}
