package ai.clipper.frontend.api;

import static org.assertj.core.api.Assertions.assertThat;

import ai.clipper.frontend.query.InvalidQueryException;
import ai.clipper.frontend.query.OverloadedException;
import ai.clipper.frontend.query.QueryPipeline;
import ai.clipper.frontend.registry.MetadataSnapshot;
import ai.clipper.metadata.App;
import ai.clipper.metadata.Model;
import ai.clipper.metadata.ModelId;
import ai.clipper.sdk.InputType;
import java.lang.reflect.Constructor;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.MethodNotAllowedException;
import org.springframework.web.server.PayloadTooLargeException;
import org.springframework.web.server.ResponseStatusException;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Every failure becomes one JSON shape, {"error","cause"}, with its status: a test per row. */
class JsonErrorHandlerTest {

  private final JsonMapper json = JsonMapper.builder().build();
  private final JsonErrorHandler handler = new JsonErrorHandler(json);

  @Test
  void anUnknownAppIs404WithItsName() {
    Answer answer = handle(post("/nope/predict"), new AppNotFoundException("nope"));

    answer.is(HttpStatus.NOT_FOUND, "Application not found", "No application named 'nope'");
  }

  @Test
  void aBodyThatIsNotTheJsonTheAppExpectsIs400JsonError() {
    Answer answer = handle(post("/a/predict"), new InvalidInputException("input must be doubles"));

    answer.is(HttpStatus.BAD_REQUEST, "Json error", "input must be doubles");
  }

  @Test
  void tooManyQueriesIs413NamingTheLimit() {
    Answer answer = handle(post("/a/predict"), new TooManyQueriesException(3));

    assertThat(answer.status()).isEqualTo(HttpStatus.CONTENT_TOO_LARGE);
    assertThat(answer.error()).isEqualTo("Too many queries");
    assertThat(answer.cause()).contains("more than 3 inputs")
        .contains("clipper.frontend.query.max-inputs-per-request");
  }

  @Test
  void anImpossibleQueryIs400QueryProcessingError() {
    InvalidQueryException unknownVersion = unknownVersion("7");

    Answer answer = handle(post("/a/predict"), unknownVersion);

    answer.is(HttpStatus.BAD_REQUEST, "Query processing error",
        "Requested version: 7 does not exist for model: m");
  }

  @Test
  void anOverloadIs503AskingTheClientToRetryAfterASecond() {
    Answer answer = handle(post("/a/predict"), overloaded("queue of m:1 is full"));

    answer.is(HttpStatus.SERVICE_UNAVAILABLE, "Overloaded", "queue of m:1 is full");
    assertThat(answer.headers().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("1");
  }

  @Test
  void onlyAnOverloadAsksForARetry() {
    Answer answer = handle(post("/a/predict"), new InvalidInputException("bad"));

    assertThat(answer.headers().containsHeader(HttpHeaders.RETRY_AFTER)).isFalse();
  }

  @Test
  void aPayloadTooLargeIs413NamingTheSetting() {
    Answer answer = handle(post("/a/predict"), new PayloadTooLargeException(null));

    assertThat(answer.status()).isEqualTo(HttpStatus.CONTENT_TOO_LARGE);
    assertThat(answer.error()).isEqualTo("Payload too large");
    assertThat(answer.cause()).contains("spring.http.codecs.max-in-memory-size");
  }

  @Test
  void aBufferLimitHitDeepInsideADecodingErrorIsAlso413() {
    RuntimeException decoding = new IllegalStateException("decoding failed",
        new DataBufferLimitException("Exceeded limit on max bytes to buffer : 65536"));

    Answer answer = handle(post("/a/predict"), decoding);

    assertThat(answer.status()).isEqualTo(HttpStatus.CONTENT_TOO_LARGE);
    assertThat(answer.error()).isEqualTo("Payload too large");
  }

  @Test
  void aWrongMethodIs405WithTheAllowedOnesInHeaderAndBody() {
    Answer answer = handle(MockServerHttpRequest.get("/a/predict").build(),
        new MethodNotAllowedException(HttpMethod.GET, Set.of(HttpMethod.POST)));

    answer.is(HttpStatus.METHOD_NOT_ALLOWED, "Method not allowed", "Use [POST] for /a/predict");
    assertThat(answer.headers().getAllow()).containsExactly(HttpMethod.POST);
  }

  @Test
  void anUnknownRouteIs404NamingMethodAndPath() {
    Answer answer = handle(MockServerHttpRequest.get("/no/such/thing").build(),
        new ResponseStatusException(HttpStatus.NOT_FOUND));

    answer.is(HttpStatus.NOT_FOUND, "Not found", "No route for GET /no/such/thing");
  }

  @Test
  void anyOtherStatusKeepsItsStatusAndReason() {
    Answer answer = handle(post("/a/predict"),
        new ResponseStatusException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Content type not json"));

    answer.is(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Unsupported Media Type", "Content type not json");
  }

  @Test
  void aFailureWrappedInACompletionExceptionIsMappedAsItself() {
    Answer answer = handle(post("/nope/predict"),
        new CompletionException(new AppNotFoundException("nope")));

    answer.is(HttpStatus.NOT_FOUND, "Application not found", "No application named 'nope'");
  }

  @Test
  void anUnexpectedFailureIs500WithoutItsMessageOrStackTrace() {
    RuntimeException bug = new NullPointerException("secret.internal.Field was null");

    Answer answer = handle(post("/a/predict"), bug);

    answer.is(HttpStatus.INTERNAL_SERVER_ERROR, "Internal error", "An unexpected error occurred");
    assertThat(answer.body()).doesNotContain("secret").doesNotContain("NullPointerException")
        .doesNotContain("at ai.clipper");
  }

  @Test
  void everyAnswerIsJsonWithExactlyTheErrorAndCauseFields() {
    for (Throwable failure : List.of(new AppNotFoundException("x"), overloaded("busy"),
        new ResponseStatusException(HttpStatus.NOT_FOUND), new IllegalStateException())) {
      Answer answer = handle(post("/x/predict"), failure);

      assertThat(answer.headers().getContentType()).isEqualTo(MediaType.APPLICATION_JSON);
      assertThat(answer.json().propertyNames()).containsExactlyInAnyOrder("error", "cause");
    }
  }

  @Test
  void aResponseAlreadyCommittedIsLeftAloneAndTheFailurePassedOn() {
    MockServerWebExchange exchange = MockServerWebExchange.from(post("/a/predict"));
    exchange.getResponse().setStatusCode(HttpStatus.OK);
    exchange.getResponse().setComplete().block();
    AppNotFoundException failure = new AppNotFoundException("a");

    StepVerifier.create(handler.handle(exchange, new CompletionException(failure)))
        .expectErrorMatches(error -> error == failure)
        .verify();
    assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.OK);
  }

  private Answer handle(MockServerHttpRequest request, Throwable failure) {
    MockServerWebExchange exchange = MockServerWebExchange.from(request);
    handler.handle(exchange, failure).block();
    String body = exchange.getResponse().getBodyAsString().block();
    return new Answer(exchange.getResponse().getStatusCode(), exchange.getResponse().getHeaders(),
        body, json.readTree(body));
  }

  private static MockServerHttpRequest post(String path) {
    return MockServerHttpRequest.post(path).contentType(MediaType.APPLICATION_JSON).build();
  }

  /** The failure a query pinning a version the app's model lacks meets in the pipeline. */
  private static InvalidQueryException unknownVersion(String version) {
    ModelId m1 = new ModelId("m", "1");
    App app = new App("a", InputType.DOUBLES, "0", 100_000, "single", true);
    MetadataSnapshot snapshot = new MetadataSnapshot(1, Map.of("a", app),
        Map.of("a", List.of("m")), Map.of("m", "1"),
        Map.of(m1, new Model(m1, InputType.DOUBLES, List.of(), Model.NO_CONTAINER, "", -1, 0, 1,
            Map.of())), Map.of());
    try {
      QueryPipeline.selectVersion(snapshot, app, version);
    } catch (InvalidQueryException e) {
      return e;
    }
    throw new AssertionError("version " + version + " was found");
  }

  /** The query package makes these; its constructor is not ours to call. */
  private static OverloadedException overloaded(String message) {
    try {
      Constructor<OverloadedException> constructor =
          OverloadedException.class.getDeclaredConstructor(String.class);
      constructor.setAccessible(true);
      return constructor.newInstance(message);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  private record Answer(org.springframework.http.HttpStatusCode status, HttpHeaders headers,
      String body, JsonNode json) {

    String error() {
      return json.get("error").asString();
    }

    String cause() {
      return json.get("cause").asString();
    }

    void is(HttpStatus expectedStatus, String expectedError, String expectedCause) {
      assertThat(status).isEqualTo(expectedStatus);
      assertThat(error()).isEqualTo(expectedError);
      assertThat(cause()).isEqualTo(expectedCause);
    }
  }
}
