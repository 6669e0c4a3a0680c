package ai.clipper.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The load generator over real HTTP against the real echo server, for half a second. */
class LoadGeneratorTest {

  private static final LoadGenerator.Periods PERIODS = new LoadGenerator.Periods(
      Duration.ofMillis(200), Duration.ofMillis(500), Duration.ofSeconds(5));

  private static EchoServer echo;

  @BeforeAll
  static void startEcho() {
    echo = EchoServer.start(0);
  }

  @AfterAll
  static void stopEcho() {
    echo.close();
  }

  private static URI predict() {
    return URI.create("http://127.0.0.1:" + echo.port() + "/bench/predict");
  }

  @Test
  void closedLoopCountsEveryAnswerOfTheEchoAsOk() throws Exception {
    try (Target target = new HttpTarget(predict(), 4, Inputs.fresh(0.1)::json,
        Duration.ofSeconds(5))) {
      Result result = new LoadGenerator(target, PERIODS).closed("ceiling", "echo", 4);

      assertThat(result.mode()).isEqualTo("closed c=4");
      assertThat(result.ok()).isPositive();
      assertThat(result.defaults()).isZero();
      assertThat(result.failures()).isZero();
      assertThat(result.p50()).isPositive().isLessThanOrEqualTo(result.p99());
      assertThat(result.seconds()).isGreaterThanOrEqualTo(0.5);
    }
  }

  @Test
  void echoAnswersTheReadinessPathAsAFrontendDoesSoHaproxyKeepsItUp() throws Exception {
    HttpResponse<String> answer = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(
            "http://127.0.0.1:" + echo.port() + "/actuator/health/readiness")).build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.body()).contains("\"UP\"");
  }

  @Test
  void openLoopSendsExactlyTheScheduledQueries() throws Exception {
    try (Target target = new HttpTarget(predict(), 16, Inputs.same()::json,
        Duration.ofSeconds(5))) {
      Result result = new LoadGenerator(target, PERIODS).open("ceiling", "echo", 200, 16);

      // 0.5 s at 200/s: exactly 100 queries are due in the measured period, all answered.
      assertThat(result.ok()).isEqualTo(100);
      assertThat(result.failures()).isZero();
      assertThat(result.mode()).isEqualTo("open r=200/s");
    }
  }

  @Test
  void aTargetThatIsNotListeningCountsErrorsNotAnswers() throws Exception {
    URI nothing = URI.create("http://127.0.0.1:" + ai.clipper.metadata.localredis.LocalRedis.freePort()
        + "/bench/predict");
    try (Target target = new HttpTarget(nothing, 1, Inputs.fresh(0.1)::json,
        Duration.ofSeconds(1))) {
      Result result = new LoadGenerator(target, new LoadGenerator.Periods(
          Duration.ZERO, Duration.ofMillis(300), Duration.ofSeconds(2))).closed("x", "x", 1);

      assertThat(result.ok()).isZero();
      assertThat(result.errors()).isPositive();
    }
  }

  @Test
  void theEchoAnswersTheFrontendsJsonShape() {
    String body = reactor.netty.http.client.HttpClient.create()
        .post().uri(predict()).send(reactor.netty.ByteBufFlux.fromString(
            reactor.core.publisher.Mono.just("{\"input\":[1,2]}")))
        .responseSingle((response, content) -> content.asString())
        .block(Duration.ofSeconds(5));

    assertThat(body).matches("\\{\"query_id\":\\d+,\"output\":0,\"default\":false\\}");
  }
}
