package ai.clipper.frontend.batching;

import ai.clipper.sdk.proto.PredictRequest;
import java.time.Instant;
import java.util.List;
import reactor.core.publisher.Mono;

/** Sends one batch to one replica: what a worker needs from the gRPC client. */
@FunctionalInterface
public interface BatchSender {

  /** One output per input, in order, or an error; the call must not outlive {@code deadline}. */
  Mono<List<String>> send(PredictRequest batch, Instant deadline);
}
