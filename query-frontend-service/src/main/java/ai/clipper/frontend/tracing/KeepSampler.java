package ai.clipper.frontend.tracing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingResult;
import java.util.List;

/**
 * Samples every span made with {@link #KEEP}: the queries' spans, whose requests decided for
 * themselves ({@link QueryTracing}); any other span by the ratio, or as its parent was.
 */
final class KeepSampler implements Sampler {

  /** The attribute of a span that is exported whatever the sampling ratio. */
  static final AttributeKey<Boolean> KEEP = AttributeKey.booleanKey("clipper.keep");

  private final Sampler ratio;

  KeepSampler(double probability) {
    this.ratio = Sampler.parentBased(Sampler.traceIdRatioBased(probability));
  }

  @Override
  public SamplingResult shouldSample(Context parentContext, String traceId, String name,
      SpanKind spanKind, Attributes attributes, List<LinkData> parentLinks) {
    if (Boolean.TRUE.equals(attributes.get(KEEP))) {
      return SamplingResult.recordAndSample();
    }
    return ratio.shouldSample(parentContext, traceId, name, spanKind, attributes, parentLinks);
  }

  @Override
  public String getDescription() {
    return "KeepSampler{" + ratio.getDescription() + ", keep=" + KEEP + "}";
  }
}
