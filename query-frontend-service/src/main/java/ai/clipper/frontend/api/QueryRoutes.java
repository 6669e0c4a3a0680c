package ai.clipper.frontend.api;

import java.util.Set;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.MethodNotAllowedException;
import reactor.core.publisher.Mono;

/**
 * The query API's routes, as functional routes (checked before annotated controllers, and
 * without their per-request argument resolution): update with or without a trailing slash, the
 * selection state, and 405 for another method on the predict and update paths. {@code POST
 * /{app}/predict} never gets here: {@link PredictFastPath} answers it first.
 */
@Configuration(proxyBeanMethods = false)
class QueryRoutes {

  @Bean
  RouterFunction<ServerResponse> queryApi(FeedbackHandler feedback) {
    return RouterFunctions.route()
        .POST("/{app}/update", feedback::update)
        .POST("/{app}/update/", feedback::update)
        .GET("/{app}/selection", feedback::state)
        .route(RequestPredicates.path("/{app}/predict").or(RequestPredicates.path("/{app}/predict/"))
                .or(RequestPredicates.path("/{app}/update"))
                .or(RequestPredicates.path("/{app}/update/")),
            request -> Mono.error(new MethodNotAllowedException(request.method(),
                Set.of(HttpMethod.POST))))
        .build();
  }

  /** A 200 with a JSON body written already. */
  static Mono<ServerResponse> json(byte[] body) {
    return ServerResponse.ok().contentType(MediaType.APPLICATION_JSON).bodyValue(body);
  }
}
