package ai.clipper.frontend.config;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Keeps the frontend listening for {@code clipper.frontend.shutdown.drain-delay} after SIGTERM.
 * Spring Boot turns readiness to REFUSING_TRAFFIC (503) as the context starts closing, but its
 * graceful shutdown closes the listener in the same instant, so a load balancer would learn of it
 * from refused and cut connections, which it may resend only for idempotent requests. Waiting here,
 * before any lifecycle stops (the web server, the V2 gRPC server), lets the balancer's health check
 * take the frontend out first: the preStop sleep of a Kubernetes pod, in process.
 */
@Component
class ShutdownDrain {

  private static final Logger LOG = LoggerFactory.getLogger(ShutdownDrain.class);

  private final Duration delay;

  ShutdownDrain(FrontendProperties properties) {
    this.delay = properties.shutdown().drainDelay();
  }

  @EventListener(ContextClosedEvent.class)
  void holdTheListenerOpen() {
    if (delay.isZero()) {
      return;
    }
    LOG.info("Not ready; still taking queries for {} ms before draining", delay.toMillis());
    try {
      Thread.sleep(delay.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
