package ai.clipper.frontend.api;

import ai.clipper.frontend.concurrent.CompletionCause;
import ai.clipper.frontend.query.InvalidQueryException;
import ai.clipper.frontend.query.OverloadedException;
import ai.clipper.frontend.transport.BodyLimit;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.server.MethodNotAllowedException;
import org.springframework.web.server.PayloadTooLargeException;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one place a failure becomes an HTTP answer: {@code {"error": ..., "cause": ...}} with the
 * right status, for every path (unknown ones included), never a stack trace. Ordered before
 * Spring Boot's own error handler.
 */
@Component
@Order(-2)
class JsonErrorHandler implements WebExceptionHandler {

  private static final Logger LOG = LoggerFactory.getLogger(JsonErrorHandler.class);

  record ErrorBody(@JsonProperty("error") String error, @JsonProperty("cause") String cause) {
  }

  private record Mapped(HttpStatusCode status, ErrorBody body) {
  }

  private final JsonMapper mapper;

  JsonErrorHandler(JsonMapper mapper) {
    this.mapper = mapper;
  }

  @Override
  public Mono<Void> handle(ServerWebExchange exchange, Throwable thrown) {
    return write(exchange.getRequest(), exchange.getResponse(), thrown);
  }

  /** Answers {@code request} with the JSON error for {@code thrown}, unless it is answered already. */
  Mono<Void> write(ServerHttpRequest request, ServerHttpResponse response, Throwable thrown) {
    Throwable failure = CompletionCause.of(thrown);
    if (response.isCommitted()) {
      return Mono.error(failure);
    }
    Mapped mapped = map(failure, request);
    response.setStatusCode(mapped.status());
    HttpHeaders headers = response.getHeaders();
    headers.setContentType(MediaType.APPLICATION_JSON);
    if (failure instanceof OverloadedException) {
      headers.set(HttpHeaders.RETRY_AFTER, OverloadedException.RETRY_AFTER_SECONDS);
    }
    if (failure instanceof MethodNotAllowedException notAllowed) {
      headers.setAllow(notAllowed.getSupportedMethods());
    }
    byte[] json = mapper.writeValueAsBytes(mapped.body());
    return response.writeWith(Mono.just(response.bufferFactory().wrap(json)));
  }

  /** Failure to status and body; everything a client can cause is a 4xx. */
  private Mapped map(Throwable failure, ServerHttpRequest request) {
    String route = request.getMethod() + " " + request.getPath();
    if (failure instanceof ApiException api) {
      return new Mapped(api.status(), new ErrorBody(api.error(), api.cause()));
    }
    if (failure instanceof InvalidQueryException) {
      return new Mapped(HttpStatus.BAD_REQUEST,
          new ErrorBody("Query processing error", failure.getMessage()));
    }
    if (failure instanceof OverloadedException) {
      return new Mapped(HttpStatus.SERVICE_UNAVAILABLE,
          new ErrorBody("Overloaded", failure.getMessage()));
    }
    if (failure instanceof PayloadTooLargeException || causedBy(failure,
        DataBufferLimitException.class)) {
      return new Mapped(HttpStatus.CONTENT_TOO_LARGE, new ErrorBody("Payload too large",
          "The request body exceeds the frontend's limit (" + BodyLimit.PROPERTY + ")"));
    }
    if (failure instanceof MethodNotAllowedException notAllowed) {
      return new Mapped(HttpStatus.METHOD_NOT_ALLOWED, new ErrorBody("Method not allowed",
          "Use " + notAllowed.getSupportedMethods() + " for " + request.getPath()));
    }
    if (failure instanceof ResponseStatusException status) {
      if (status.getStatusCode().value() == HttpStatus.NOT_FOUND.value()) {
        return new Mapped(HttpStatus.NOT_FOUND, new ErrorBody("Not found", "No route for " + route));
      }
      String reason = status.getReason() != null ? status.getReason() : status.getMessage();
      return new Mapped(status.getStatusCode(), new ErrorBody(phrase(status.getStatusCode()),
          reason));
    }
    LOG.error("Unexpected failure on {}", route, failure);
    return new Mapped(HttpStatus.INTERNAL_SERVER_ERROR,
        new ErrorBody("Internal error", "An unexpected error occurred"));
  }

  private static String phrase(HttpStatusCode code) {
    HttpStatus status = HttpStatus.resolve(code.value());
    return status != null ? status.getReasonPhrase() : "HTTP " + code.value();
  }

  private static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
      if (t.getCause() == t) {
        return false;
      }
    }
    return false;
  }
}
