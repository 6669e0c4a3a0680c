package ai.clipper.frontend.api;

import ai.clipper.frontend.query.QueryPipeline;
import ai.clipper.frontend.registry.MetadataRegistry;
import ai.clipper.frontend.registry.MetadataSnapshot;
import ai.clipper.metadata.App;
import java.time.Clock;
import java.time.Instant;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Clipper's query endpoint, {@code POST /{app}/predict}: the HTTP shape only. The SLO clock
 * starts when the handler is entered, before the body is read or parsed.
 */
@Component
class PredictHandler {

  private final MetadataRegistry registry;
  private final RawBody body;
  private final QueryParser parser;
  private final QueryPipeline pipeline;
  private final AnswerJson answers;
  private final ConnectionTimers timers;
  private final Clock clock;

  PredictHandler(MetadataRegistry registry, RawBody body, QueryParser parser,
      QueryPipeline pipeline, AnswerJson answers, ConnectionTimers timers, Clock clock) {
    this.registry = registry;
    this.body = body;
    this.parser = parser;
    this.pipeline = pipeline;
    this.answers = answers;
    this.timers = timers;
    this.clock = clock;
  }

  Mono<ServerResponse> predict(ServerRequest request) {
    Instant arrival = clock.instant();
    String appName = request.pathVariable("app");
    Scheduler timer = timers.of(request.exchange().getRequest());
    return body.read(request.exchange().getRequest()).flatMap(bytes -> {
      MetadataSnapshot snapshot = registry.current();
      App app = snapshot.app(appName).orElseThrow(() -> new AppNotFoundException(appName));
      QueryParser.QueryRequest parsed = parser.parse(app, bytes, arrival);
      return Mono.fromFuture(pipeline.predict(snapshot, app, parsed.query(), timer))
          .map(predictions -> answers.predictions(predictions, parsed.batch()));
    }).flatMap(QueryRoutes::json);
  }
}
