package ai.clipper.frontend.v2;

import ai.clipper.frontend.query.OverloadedException;
import ai.clipper.frontend.transport.BodyLimit;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RequestPredicate;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

import static org.springframework.web.reactive.function.server.RequestPredicates.path;

/**
 * The V2 routes ({@code /v2}, {@code /v2/health/*}, {@code /v2/models/...}) and their one error
 * shape, the protocol's {@code {"error": "..."}}: 400 bad input, 404 unknown model, version or
 * path, 405 another method, 413 an oversized body, 503 with Retry-After when shedding load.
 * Paths outside {@code /v2/health} and {@code /v2/models} stay Clipper's ({@code /v2/predict} is
 * an app named v2).
 */
@Configuration(proxyBeanMethods = false)
class V2Routes {

  private static final Logger LOG = LoggerFactory.getLogger(V2Routes.class);

  private static final RequestPredicate INFER = path("/v2/models/{model}/infer")
      .or(path("/v2/models/{model}/versions/{version}/infer"));
  private static final RequestPredicate READ_ONLY = path("/v2").or(path("/v2/health/*"))
      .or(path("/v2/models/{model}")).or(path("/v2/models/{model}/ready"))
      .or(path("/v2/models/{model}/versions/{version}"))
      .or(path("/v2/models/{model}/versions/{version}/ready"));

  @Bean
  RouterFunction<ServerResponse> inferenceApi(V2Handler v2, InferJson json) {
    return RouterFunctions.route()
        .GET("/v2", v2::server)
        .GET("/v2/health/live", v2::live)
        .GET("/v2/health/ready", v2::ready)
        .GET("/v2/models/{model}", v2::metadata)
        .GET("/v2/models/{model}/versions/{version}", v2::metadata)
        .GET("/v2/models/{model}/ready", v2::modelReady)
        .GET("/v2/models/{model}/versions/{version}/ready", v2::modelReady)
        .POST("/v2/models/{model}/infer", v2::infer)
        .POST("/v2/models/{model}/versions/{version}/infer", v2::infer)
        .route(INFER, request -> notAllowed(json, request, HttpMethod.POST))
        .route(READ_ONLY, request -> notAllowed(json, request, HttpMethod.GET))
        .route(path("/v2/health/**").or(path("/v2/models/**")), request -> error(json, 404,
            "no route for " + request.method() + " " + request.path()))
        .filter((request, next) -> Mono.defer(() -> next.handle(request))
            .onErrorResume(failure -> failed(json, request, failure)))
        .build();
  }

  private static Mono<ServerResponse> failed(InferJson json, ServerRequest request,
      Throwable failure) {
    InferenceException error = failure instanceof DataBufferLimitException
        ? InferenceException.tooLarge("the request body exceeds the frontend's limit ("
            + BodyLimit.PROPERTY + ")")
        : InferenceException.of(failure);
    if (error.kind() == InferenceException.Kind.INTERNAL) {
      LOG.error("Unexpected failure on {} {}", request.method(), request.path(), failure);
    }
    ServerResponse.BodyBuilder answer = ServerResponse.status(error.kind().httpStatus())
        .contentType(MediaType.APPLICATION_JSON);
    if (error.kind() == InferenceException.Kind.UNAVAILABLE) {
      answer.header(HttpHeaders.RETRY_AFTER, OverloadedException.RETRY_AFTER_SECONDS);
    }
    return answer.bodyValue(json.error(error.getMessage()));
  }

  private static Mono<ServerResponse> notAllowed(InferJson json, ServerRequest request,
      HttpMethod allowed) {
    return ServerResponse.status(405).allow(Set.of(allowed))
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(json.error("use " + allowed + " for " + request.path()));
  }

  private static Mono<ServerResponse> error(InferJson json, int status, String message) {
    return ServerResponse.status(status).contentType(MediaType.APPLICATION_JSON)
        .bodyValue(json.error(message));
  }
}
