package ai.clipper.frontend.config;

import ai.clipper.metadata.RedisKeys;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Every setting of the query frontend, under {@code clipper.frontend}; the defaults run out of the
 * box against a local Redis.
 *
 * @param redisPrefix the prefix of every metadata key, as the management service writes them
 * @param registry how the live view of the metadata is kept fresh
 * @param batching how queries are queued and batched per model version
 * @param rpc how the frontend talks gRPC to model containers
 * @param cache how model outputs are cached per model version and input
 * @param selection how the selection policies' state is read
 * @param admission when a query the model cannot answer in time is answered at once
 * @param query bounds on what one request may ask
 * @param warmUp how the query path is run hot before the frontend reports ready
 * @param v2 how the Open Inference Protocol (KServe V2) is served besides REST
 * @param shutdown how the frontend leaves a load balancer on SIGTERM
 */
@ConfigurationProperties("clipper.frontend")
public record FrontendProperties(
    @DefaultValue(RedisKeys.DEFAULT_PREFIX) String redisPrefix,
    @DefaultValue Registry registry,
    @DefaultValue Batching batching,
    @DefaultValue Rpc rpc,
    @DefaultValue Cache cache,
    @DefaultValue Selection selection,
    @DefaultValue Admission admission,
    @DefaultValue Query query,
    @DefaultValue WarmUp warmUp,
    @DefaultValue V2 v2,
    @DefaultValue Shutdown shutdown) {

  /**
   * @param resyncInterval how often the version counter is compared with the snapshot's, so a
   *     missed change event or a Redis restart heals
   * @param readTimeout how long one full read of the metadata may take before it is abandoned
   */
  public record Registry(
      @DefaultValue("1s") Duration resyncInterval,
      @DefaultValue("3s") Duration readTimeout) {
  }

  /**
   * @param maxBatchSize the largest batch sent to a replica of a model whose batch_size is -1
   *     (the AIMD sizer's ceiling); a model's fixed batch_size lowers it
   * @param maxQueuedPerModel queries waiting per model version before the frontend answers 503
   * @param maxInFlight the most batches one replica may have in flight at once (Clipper: 1):
   *     the frontend keeps enough, at least two, that the next batch waits at the replica while
   *     its model works on the current one, so the model never waits for the network or the
   *     frontend between batches
   * @param latencyBudgetFraction the share of the smallest linked app SLO a batch may take; a
   *     query waits for the batch in flight and then for its own, so about half of the SLO
   * @param defaultLatencySlo the SLO assumed for a model no app links to
   * @param increaseStep how much the batch size grows after a full batch within the budget
   * @param backoffFactor what the batch size is multiplied by after a batch over the budget
   * @param maxAttempts how many replicas may try a query before its error is the answer
   * @param circuitBreaker when a failing replica is taken out and probed back in
   */
  public record Batching(
      @DefaultValue("256") int maxBatchSize,
      @DefaultValue("100000") int maxQueuedPerModel,
      @DefaultValue("4") int maxInFlight,
      @DefaultValue("0.5") double latencyBudgetFraction,
      @DefaultValue("100ms") Duration defaultLatencySlo,
      @DefaultValue("1") int increaseStep,
      @DefaultValue("0.9") double backoffFactor,
      @DefaultValue("3") int maxAttempts,
      @DefaultValue CircuitBreaker circuitBreaker) {
  }

  /**
   * A replica's breaker opens when at least {@code failureRatePercent} of its last
   * {@code slidingWindow} batches (once {@code minimumCalls} were made) failed or timed out.
   *
   * @param slidingWindow how many recent batches are counted
   * @param minimumCalls batches needed before the failure rate counts
   * @param failureRatePercent the failure rate that opens the breaker
   * @param openDuration how long an open breaker keeps the replica out before a probe
   * @param probes batches let through half-open to decide whether the replica is back
   */
  public record CircuitBreaker(
      @DefaultValue("10") int slidingWindow,
      @DefaultValue("5") int minimumCalls,
      @DefaultValue("50") float failureRatePercent,
      @DefaultValue("1s") Duration openDuration,
      @DefaultValue("1") int probes) {
  }

  /**
   * @param maxInboundMessageSize the largest gRPC answer accepted from a container
   * @param eventLoopThreads the threads that send batches to the replicas and read their
   *     answers, apart from the HTTP server's event loops
   */
  public record Rpc(
      @DefaultValue("64MB") DataSize maxInboundMessageSize,
      @DefaultValue("1") int eventLoopThreads) {
  }

  /**
   * @param enabled a kill switch for every app; an app also opts out with its cache_enabled
   * @param maxSize the bound on cached inputs and outputs, in bytes
   */
  public record Cache(
      @DefaultValue("true") boolean enabled,
      @DefaultValue("32MB") DataSize maxSize) {
  }

  /**
   * @param stateRefresh how old a (app, uid) selection state read from Redis may be on the
   *     predict path before it is refreshed (in the background); feedback to this frontend
   *     drops its copy at once
   * @param maxCachedStates how many (app, uid) states are kept in memory
   */
  public record Selection(
      @DefaultValue("100ms") Duration stateRefresh,
      @DefaultValue("100000") long maxCachedStates) {
  }

  /**
   * Admission control: a query whose model, at the rate it serves now, cannot answer it by its
   * deadline is answered at once (the default, or 503 for an app with {@code overload: reject})
   * instead of when its deadline passes.
   *
   * @param enabled off, every query waits in its queue until it is served or its deadline passes
   * @param headroomFraction the share of a query's remaining time that the forecast answer must
   *     leave unused (for the way back to the client, and the forecast's error)
   */
  public record Admission(
      @DefaultValue("true") boolean enabled,
      @DefaultValue("0.1") double headroomFraction) {
  }

  /**
   * @param maxInputsPerRequest the most queries one request may carry in its
   *     {@code input_batch} (Triton's max_batch_size plays this part); beyond it, a JSON 413
   */
  public record Query(@DefaultValue("10000") int maxInputsPerRequest) {
  }

  /**
   * @param duration how long the frontend drives its own query path before it reports ready
   *     (0 skips it)
   * @param concurrency warm-up requests in flight at once
   */
  public record WarmUp(
      @DefaultValue("3s") Duration duration,
      @DefaultValue("16") int concurrency) {
  }

  /**
   * @param grpcPort the port of the V2 gRPC service ({@code inference.GRPCInferenceService} and
   *     {@code grpc.health.v1.Health}); 0 picks a free one
   */
  public record V2(@DefaultValue("1339") int grpcPort) {
  }

  /**
   * @param drainDelay how long after SIGTERM the frontend still takes queries while its readiness
   *     already answers 503, before it stops listening and drains: long enough for a load
   *     balancer's health checks to take it out (HAProxy's in deploy/haproxy: about 1 s); 0 stops
   *     listening at once
   */
  public record Shutdown(@DefaultValue("0s") Duration drainDelay) {
  }
}
