package ai.clipper.frontend.batching;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the replicas of one model version can take, as their workers publish it and admission
 * control reads it (the part of Triton's rate limiter that knows which instances are free): per
 * replica whether it is up, its free slots, when its batch in flight is due back and how big its
 * next batch is; per model the model's own time per batch ({@link ServiceTime}) and the
 * network's ({@link Transport}). From these it foresees when a query joining the queue now would
 * be answered.
 */
final class Capacity {

  /**
   * One replica as its worker last published it. Its model is taken to work on one batch at a
   * time (one model instance, as the SDKs run it): batches in flight beyond the first wait at
   * the replica.
   *
   * @param up not stopped and its circuit breaker lets batches through
   * @param freeSlots batches it could take now
   * @param slots batches it may have in flight at once: with one, the model waits for the
   *     network between batches
   * @param busyUntil when its model is expected to have finished the batches in flight
   * @param batchSize the size of its next batch
   * @param probeAt while not up, when its breaker lets a probe through ({@link Instant#MAX}:
   *     none armed)
   */
  record Replica(boolean up, int freeSlots, int slots, Instant busyUntil, int batchSize,
      Instant probeAt) {
  }

  /**
   * What admission control needs to know about a query joining the queue.
   *
   * @param anyFree a replica that is up has a free slot: it takes the query at once
   * @param known the forecast is sound enough to shed by: the model's time is known, or every
   *     replica is out until its breaker's probe
   * @param nextBatch the query fits in the batches the replicas take next
   * @param modelDone when the model would have answered its batch
   * @param answerAt when its answer would be back (the model's and the network's time)
   */
  record Forecast(boolean anyFree, boolean known, boolean nextBatch, Instant modelDone,
      Instant answerAt) {
  }

  private final ServiceTime service = new ServiceTime();
  private final Transport transport = new Transport();
  private final Map<Object, Replica> replicas = new ConcurrentHashMap<>();

  void publish(Object replica, Replica state) {
    replicas.put(replica, state);
  }

  void remove(Object replica) {
    replicas.remove(replica);
  }

  /**
   * Records an answered batch: the model's own time, its wait at the replica behind the batches
   * before it, and the round trip around both.
   */
  void observe(int size, long computeNanos, long queueNanos, long roundTripNanos) {
    service.observe(size, computeNanos);
    transport.observe(roundTripNanos - computeNanos - queueNanos);
  }

  ServiceTime service() {
    return service;
  }

  Transport transport() {
    return transport;
  }

  /** What a replica needs for a batch of {@code size}: the model's time and the network's. */
  long batchNanos(int size) {
    return service.nanos(size) + transport.floorNanos();
  }

  /** When a batch of {@code size} sent now would be answered, as answers come back now. */
  long answerNanos(int size) {
    return service.nanos(size) + transport.medianNanos();
  }

  /**
   * When a query with {@code ahead} queries before it would be answered: once a replica's model
   * has finished the batches it has in flight, the queries ahead go in batches of the replicas'
   * next sizes, one after the other at the model's time per batch (plus the network's, for a
   * replica that keeps a single batch in flight). With every breaker open, not before the first
   * probe.
   */
  Forecast forecast(int ahead, Instant now) {
    int perRound = 0;
    int up = 0;
    boolean anyFree = false;
    boolean pipelined = true;
    Instant start = Instant.MAX;
    Instant probe = Instant.MAX;
    for (Replica replica : replicas.values()) {
      if (replica.up()) {
        up++;
        perRound += replica.batchSize();
        anyFree |= replica.freeSlots() > 0;
        pipelined &= replica.slots() > 1;
        start = replica.busyUntil().isBefore(start) ? replica.busyUntil() : start;
      } else if (replica.probeAt().isBefore(probe)) {
        probe = replica.probeAt();
      }
    }
    if (up == 0) {
      // No replica takes batches until a breaker lets a probe through; none armed: unknown.
      Instant answer = probe == Instant.MAX || !probe.isAfter(now) ? now
          : probe.plusNanos(batchNanos(1));
      return new Forecast(false, true, false, answer, answer);
    }
    int size = Math.max(1, perRound / up);
    long rounds = ahead / perRound;
    long perBatch = pipelined ? service.nanos(size) : batchNanos(size);
    Instant begins = (start.isAfter(now) ? start : now).plusNanos(rounds * perBatch);
    Instant modelDone = begins.plusNanos(service.nanos(size));
    return new Forecast(anyFree, service.known(), rounds == 0, modelDone,
        modelDone.plusNanos(transport.floorNanos()));
  }

  /** Replicas whose circuit breaker lets batches through. */
  int replicasUp() {
    return (int) replicas.values().stream().filter(Replica::up).count();
  }
}
