package ai.clipper.frontend.api;

import ai.clipper.frontend.config.FrontendProperties;
import ai.clipper.frontend.query.Prediction;
import ai.clipper.metadata.App;
import ai.clipper.sdk.InputType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * Runs the query path hot before the frontend reports ready: a fresh JVM interprets its first
 * thousands of requests, and an instant default then took over a second at full load. Spring
 * Boot reports readiness only once the runners are done, so for
 * {@code clipper.frontend.warm-up.duration} this sends predict requests for an app that does not
 * exist to its own port (Netty's codec, the routes, the handler, the error answer) and parses
 * and answers synthetic queries of every input type in process, as real ones are.
 */
@Component
class WarmUp implements ApplicationRunner {

  private static final Logger LOG = LoggerFactory.getLogger(WarmUp.class);
  private static final String BODY = "{\"input\": [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1]}";
  /** A body per input type, a batch among them, as clients send them. */
  private static final java.util.Map<InputType, String> BODIES = java.util.Map.of(
      InputType.DOUBLES, BODY,
      InputType.FLOATS, "{\"input_batch\": [[1.5, 2], [3, 4.25]], \"uid\": 1}",
      InputType.INTS, "{\"input\": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], \"version\": \"1\"}",
      InputType.STRINGS, "{\"input\": \"warm up\"}",
      InputType.BYTES, "{\"input\": \"aGk=\"}");

  private final FrontendProperties.WarmUp settings;
  private final ApplicationContext context;
  private final QueryParser parser;
  private final AnswerJson answers;

  WarmUp(FrontendProperties properties, ApplicationContext context, QueryParser parser,
      AnswerJson answers) {
    this.settings = properties.warmUp();
    this.context = context;
    this.parser = parser;
    this.answers = answers;
  }

  @Override
  public void run(ApplicationArguments args) {
    if (settings.duration().isZero()
        || !(context instanceof WebServerApplicationContext server)) {
      return;
    }
    long start = System.nanoTime();
    long end = start + settings.duration().toNanos();
    int port = server.getWebServer().getPort();
    ConnectionProvider connections = ConnectionProvider.create("warm-up",
        settings.concurrency());
    try {
      warmUp(HttpClient.create(connections).baseUrl("http://127.0.0.1:" + port), start, end);
    } catch (RuntimeException e) {
      // A warm-up is an optimisation: it never keeps the frontend from serving.
      LOG.warn("The warm-up stopped early: {}", e.toString());
    } finally {
      connections.dispose();
    }
  }

  private void warmUp(HttpClient http, long start, long end) {
    long requests = Flux.range(0, Integer.MAX_VALUE)
        .takeWhile(i -> System.nanoTime() < end)
        .flatMap(i -> http.post().uri("/warm-up/predict").send((request, out) ->
                out.sendString(Mono.just(BODY)))
            .responseContent().aggregate().asString().onErrorResume(e -> Mono.empty())
            .doOnNext(answer -> inProcess()), settings.concurrency())
        .count()
        .blockOptional(Duration.ofNanos(end - start).plusSeconds(10)).orElse(0L);
    LOG.info("Warmed up the query path with {} requests in {} ms", requests,
        Duration.ofNanos(System.nanoTime() - start).toMillis());
  }

  /** Parses and answers queries of every input type, as a real request would. */
  void inProcess() {
    Instant now = Instant.now();
    for (InputType type : InputType.values()) {
      App app = new App("warm-up", type, "-1", 100_000, App.DEFAULT_POLICY, true);
      QueryParser.QueryRequest request = parser.parse(app,
          BODIES.get(type).getBytes(StandardCharsets.UTF_8), now);
      answers.predictions(List.of(Prediction.of("1.5"), Prediction.defaulted("-1",
          Prediction.DefaultReason.SLO, Prediction.SLO_MISSED)), request.batch());
    }
  }
}
