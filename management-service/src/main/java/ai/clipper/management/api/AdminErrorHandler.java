package ai.clipper.management.api;

import ai.clipper.management.artifacts.ArtifactException;
import ai.clipper.management.artifacts.ArtifactTooLargeException;
import ai.clipper.management.domain.ConflictException;
import ai.clipper.management.domain.NotFoundException;
import ai.clipper.management.domain.RuleViolationException;
import ai.clipper.management.launcher.UnknownContainerException;
import ai.clipper.metadata.InvalidPolicyException;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.data.redis.RedisConnectionFailureException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.MismatchedInputException;

/**
 * The one place where failures become the admin API's JSON error, {@code {"error","cause"}}:
 * 400 bad request, 401 no token, 404 unknown, 409 exists or conflicts, 413 too large, 503 Redis
 * unavailable, Spring's own statuses (404 unknown path, 405, 415), and 500 without internals for
 * anything else.
 */
@RestControllerAdvice
class AdminErrorHandler {

  private static final Logger LOG = LoggerFactory.getLogger(AdminErrorHandler.class);

  record ErrorBody(String error, String cause) {
  }

  @ExceptionHandler
  ResponseEntity<ErrorBody> invalid(InvalidRequestException e) {
    return answer(HttpStatus.BAD_REQUEST, e.error(), e.getMessage());
  }

  /** The shared selection-policy schema's rejections read as this API's other rule breaks. */
  @ExceptionHandler
  ResponseEntity<ErrorBody> invalidPolicy(InvalidPolicyException e) {
    return invalid(InvalidRequestException.invalid(e.getMessage()));
  }

  /** A service's refusal of what a rule forbids reads as the requests that break a rule. */
  @ExceptionHandler
  ResponseEntity<ErrorBody> ruleViolation(RuleViolationException e) {
    return invalid(InvalidRequestException.invalid(e.getMessage()));
  }

  @ExceptionHandler
  ResponseEntity<ErrorBody> unknownContainer(UnknownContainerException e) {
    return invalid(InvalidRequestException.invalid(e.getMessage()));
  }

  @ExceptionHandler
  ResponseEntity<ErrorBody> notFound(NotFoundException e) {
    return answer(HttpStatus.NOT_FOUND, "Not found", e.getMessage());
  }

  @ExceptionHandler
  ResponseEntity<ErrorBody> conflict(ConflictException e) {
    return answer(HttpStatus.CONFLICT, "Conflict", e.getMessage());
  }

  @ExceptionHandler
  ResponseEntity<ErrorBody> badArtifact(ArtifactException e) {
    return answer(HttpStatus.BAD_REQUEST, "Invalid request", e.getMessage());
  }

  @ExceptionHandler
  ResponseEntity<ErrorBody> artifactTooLarge(ArtifactTooLargeException e) {
    return answer(HttpStatus.CONTENT_TOO_LARGE, "Request body too large", e.getMessage());
  }

  @ExceptionHandler
  ResponseEntity<ErrorBody> unauthorized(UnauthorizedException e) {
    return ResponseEntity.status(HttpStatus.UNAUTHORIZED)
        .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
        .body(new ErrorBody("Unauthorized", e.getMessage()));
  }

  /** Unreadable bodies: too large (413), malformed JSON or the wrong JSON types (400). */
  @ExceptionHandler
  ResponseEntity<ErrorBody> unreadable(HttpMessageNotReadableException e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof BodyTooLargeException tooLarge) {
        return answer(HttpStatus.CONTENT_TOO_LARGE, "Request body too large",
            tooLarge.getMessage());
      }
      if (cause instanceof MismatchedInputException mismatch) {
        return answer(HttpStatus.BAD_REQUEST, InvalidRequestException.BAD_JSON, describe(mismatch));
      }
      if (cause instanceof StreamReadException malformed) {
        return answer(HttpStatus.BAD_REQUEST, InvalidRequestException.BAD_JSON,
            "Malformed JSON: " + malformed.getOriginalMessage());
      }
      if (cause instanceof JacksonException other) {
        return answer(HttpStatus.BAD_REQUEST, InvalidRequestException.BAD_JSON,
            "Invalid JSON" + at(other) + ": " + other.getOriginalMessage());
      }
    }
    return answer(HttpStatus.BAD_REQUEST, InvalidRequestException.BAD_JSON,
        "The request needs a JSON object body");
  }

  /**
   * Redis unreachable or not answering within {@code spring.data.redis.timeout} (down, or a
   * failover to a replica under way): the same call succeeds once it is back, so 503, not 500.
   */
  @ExceptionHandler({RedisConnectionFailureException.class, QueryTimeoutException.class})
  ResponseEntity<ErrorBody> redisUnavailable(DataAccessException e) {
    LOG.warn("Redis unavailable: {}", e.toString());
    return answer(HttpStatus.SERVICE_UNAVAILABLE, "Metadata store unavailable",
        "Redis did not answer; retry shortly");
  }

  /**
   * Spring MVC's own failures (unknown path, wrong method, wrong media type) keep their status;
   * anything else is a 500 that names no internals.
   */
  @ExceptionHandler
  ResponseEntity<ErrorBody> unexpected(Exception e) {
    if (e instanceof ErrorResponse spring) {
      return spring(spring);
    }
    LOG.error("Internal error", e);
    return answer(HttpStatus.INTERNAL_SERVER_ERROR, "Internal error",
        "An unexpected " + e.getClass().getSimpleName() + "; see the management service log");
  }

  private static ResponseEntity<ErrorBody> spring(ErrorResponse e) {
    HttpStatusCode status = e.getStatusCode();
    HttpStatus known = HttpStatus.resolve(status.value());
    String detail = e.getBody().getDetail();
    return ResponseEntity.status(status).headers(e.getHeaders()).body(new ErrorBody(
        known == null ? "Error" : known.getReasonPhrase(), detail == null ? "" : detail));
  }

  private static ResponseEntity<ErrorBody> answer(HttpStatus status, String error, String cause) {
    return ResponseEntity.status(status).body(new ErrorBody(error, cause));
  }

  private static String describe(MismatchedInputException e) {
    String expected = expected(e.getTargetType());
    if (e.getPath().isEmpty()) {
      return "The request body must be a JSON " + ("an array".equals(expected) ? "array" : "object");
    }
    return "Field" + at(e) + " has the wrong type" + (expected.isEmpty() ? "" : ": expected " + expected);
  }

  private static String at(JacksonException e) {
    List<String> names = e.getPath().stream()
        .map(ref -> ref.getPropertyName() != null ? ref.getPropertyName()
            : "[" + ref.getIndex() + "]")
        .toList();
    return names.isEmpty() ? "" : " '" + String.join(".", names).replace(".[", "[") + "'";
  }

  private static String expected(Class<?> type) {
    if (type == null) {
      return "";
    }
    if (Number.class.isAssignableFrom(type) || type.isPrimitive() && type != boolean.class) {
      return "a number";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "a boolean";
    }
    if (CharSequence.class.isAssignableFrom(type)) {
      return "a string";
    }
    if (List.class.isAssignableFrom(type) || type.isArray()) {
      return "an array";
    }
    if (Map.class.isAssignableFrom(type) || type.isRecord()) {
      return "an object";
    }
    return "";
  }
}
