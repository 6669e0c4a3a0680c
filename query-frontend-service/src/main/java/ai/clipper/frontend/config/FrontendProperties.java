package ai.clipper.frontend.config;

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
 */
@ConfigurationProperties("clipper.frontend")
public record FrontendProperties(
    @DefaultValue("clipper:") String redisPrefix,
    @DefaultValue Registry registry,
    @DefaultValue Batching batching,
    @DefaultValue Rpc rpc,
    @DefaultValue Cache cache,
    @DefaultValue Selection selection) {

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
   * @param maxBatchSize the largest batch sent to a replica of a model whose batch_size is -1;
   *     a model's fixed batch_size lowers it
   * @param maxQueuedPerModel queries waiting per model version before the frontend answers 503
   */
  public record Batching(
      @DefaultValue("64") int maxBatchSize,
      @DefaultValue("100000") int maxQueuedPerModel) {
  }

  /** @param maxInboundMessageSize the largest gRPC answer accepted from a container */
  public record Rpc(@DefaultValue("64MB") DataSize maxInboundMessageSize) {
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
}
