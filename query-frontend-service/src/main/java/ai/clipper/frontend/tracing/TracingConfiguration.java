package ai.clipper.frontend.tracing;

import io.opentelemetry.sdk.trace.samplers.Sampler;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** OpenTelemetry's sampler for Spring Boot's tracing: the ratio, plus every default and error. */
@Configuration(proxyBeanMethods = false)
class TracingConfiguration {

  @Bean
  Sampler keepSampler(@Value("${management.tracing.sampling.probability:0.01}") double ratio) {
    return new KeepSampler(ratio);
  }
}
