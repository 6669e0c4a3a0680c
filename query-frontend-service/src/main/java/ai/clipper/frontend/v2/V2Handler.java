package ai.clipper.frontend.v2;

import ai.clipper.frontend.tracing.QueryTracing;
import ai.clipper.frontend.tracing.RequestTrace;
import ai.clipper.frontend.tracing.ServerTiming;
import ai.clipper.frontend.transport.ConnectionTimers;
import ai.clipper.frontend.transport.RawBody;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * The Open Inference Protocol's REST endpoints on port 1337: the HTTP shape only, the semantics
 * are {@link Inference}'s. Health and readiness answer a JSON body with 200, or 503 when false.
 */
@Component
class V2Handler {

  private final Inference inference;
  private final InferJson json;
  private final RawBody body;
  private final ConnectionTimers timers;
  private final QueryTracing tracing;

  V2Handler(Inference inference, InferJson json, RawBody body, ConnectionTimers timers,
      QueryTracing tracing) {
    this.tracing = tracing;
    this.inference = inference;
    this.json = json;
    this.body = body;
    this.timers = timers;
  }

  Mono<ServerResponse> server(ServerRequest request) {
    return answer(HttpStatus.OK, json.write(inference.server()));
  }

  Mono<ServerResponse> live(ServerRequest request) {
    return answer(HttpStatus.OK, json.write(Map.of("live", true)));
  }

  Mono<ServerResponse> ready(ServerRequest request) {
    boolean ready = inference.isReady();
    return answer(status(ready), json.write(Map.of("ready", ready)));
  }

  Mono<ServerResponse> metadata(ServerRequest request) {
    return Mono.fromSupplier(() -> inference.metadata(model(request), version(request)))
        .flatMap(metadata -> answer(HttpStatus.OK, json.write(metadata)));
  }

  Mono<ServerResponse> modelReady(ServerRequest request) {
    return Mono.fromSupplier(() -> inference.isModelReady(model(request), version(request)))
        .flatMap(ready -> {
          Map<String, Object> answer = new LinkedHashMap<>();
          answer.put("name", model(request));
          version(request).ifPresent(version -> answer.put("version", version));
          answer.put("ready", ready);
          return answer(status(ready), json.write(answer));
        });
  }

  /**
   * The SLO clock starts here, before the body is read, as on predict; the answer says where
   * its time went in a {@code Server-Timing} header.
   */
  Mono<ServerResponse> infer(ServerRequest request) {
    RequestTrace trace = tracing.start(request.headers().firstHeader(QueryTracing.HEADER));
    Instant arrival = trace.arrival();
    String model = model(request);
    Optional<String> version = version(request);
    var timer = timers.of(request.exchange().getRequest());
    return body.read(request.exchange().getRequest())
        .flatMap(bytes -> Mono.fromFuture(inference.infer(json.read(model, version, bytes),
            arrival, timer, trace)))
        .doOnError(error -> trace.finish(model, 0, null, error))
        .flatMap(result -> ServerResponse.ok().contentType(MediaType.APPLICATION_JSON)
            .header(ServerTiming.HEADER, trace.timing(System.nanoTime()).header())
            .bodyValue(json.write(result)));
  }

  private static String model(ServerRequest request) {
    return request.pathVariable("model");
  }

  private static Optional<String> version(ServerRequest request) {
    return Optional.ofNullable(request.pathVariables().get("version"));
  }

  private static HttpStatus status(boolean ready) {
    return ready ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE;
  }

  private static Mono<ServerResponse> answer(HttpStatus status, byte[] body) {
    return ServerResponse.status(status).contentType(MediaType.APPLICATION_JSON).bodyValue(body);
  }
}
