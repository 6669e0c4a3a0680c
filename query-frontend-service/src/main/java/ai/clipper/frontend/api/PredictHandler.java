package ai.clipper.frontend.api;

import ai.clipper.frontend.query.Prediction;
import ai.clipper.frontend.query.QueryPipeline;
import ai.clipper.frontend.registry.MetadataRegistry;
import ai.clipper.frontend.registry.MetadataSnapshot;
import ai.clipper.frontend.tracing.RequestTrace;
import ai.clipper.frontend.transport.ConnectionTimers;
import ai.clipper.frontend.transport.RawBody;
import ai.clipper.metadata.App;
import java.time.Instant;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Clipper's query endpoint, {@code POST /{app}/predict}: the HTTP shape only, served by
 * {@link PredictFastPath}. The SLO clock starts when the request is handed over, before its body
 * is read or parsed.
 */
@Component
class PredictHandler {

  private final MetadataRegistry registry;
  private final RawBody body;
  private final QueryParser parser;
  private final QueryPipeline pipeline;
  private final AnswerJson answers;
  private final ConnectionTimers timers;

  PredictHandler(MetadataRegistry registry, RawBody body, QueryParser parser,
      QueryPipeline pipeline, AnswerJson answers, ConnectionTimers timers) {
    this.registry = registry;
    this.body = body;
    this.parser = parser;
    this.pipeline = pipeline;
    this.answers = answers;
    this.timers = timers;
  }

  /** The answer's JSON for a predict request to {@code appName}, recorded in {@code trace}. */
  Mono<byte[]> predict(String appName, ServerHttpRequest request, RequestTrace trace) {
    Instant arrival = trace.arrival();
    Scheduler timer = timers.of(request);
    return body.read(request).flatMap(bytes -> {
      MetadataSnapshot snapshot = registry.current();
      App app = snapshot.app(appName).orElseThrow(() -> new AppNotFoundException(appName));
      QueryParser.QueryRequest parsed = parser.parse(app, bytes, arrival);
      return Mono.fromFuture(pipeline.predict(snapshot, app, parsed.query(), timer, trace))
          .map(predictions -> {
            trace.finish(appName, parsed.query().uid(), Prediction.firstDefault(predictions),
                null);
            return answers.predictions(predictions, parsed.batch());
          });
    }).doOnError(error -> trace.finish(appName, 0, null, error));
  }
}
