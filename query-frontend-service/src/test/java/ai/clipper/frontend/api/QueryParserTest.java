package ai.clipper.frontend.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.clipper.frontend.input.QueryInput;
import ai.clipper.frontend.query.Feedback;
import ai.clipper.metadata.App;
import ai.clipper.sdk.InputType;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** Every input type and every error of the predict body, with the messages clients see. */
class QueryParserTest {

  private final QueryParser parser = new QueryParser(JsonMapper.builder().build(), 3);

  @Test
  void parsesDoublesAndAcceptsIntegersForThem() {
    QueryParser.QueryRequest request = parse(InputType.DOUBLES, "{\"input\": [1, 2.5, -3e2]}");
    assertThat(((QueryInput.Doubles) request.query().inputs().get(0)).values()).containsExactly(1, 2.5, -300);
    assertThat(request.batch()).isFalse();
    assertThat(request.query().uid()).isZero();
    assertThat(request.query().version()).isEmpty();
  }

  @Test
  void parsesFloats() {
    QueryParser.QueryRequest request = parse(InputType.FLOATS, "{\"input\": [1, 0.5]}");
    assertThat(((QueryInput.Floats) request.query().inputs().get(0)).values()).containsExactly(1f, 0.5f);
  }

  @Test
  void parsesIntsAndRejectsFractionsAndValuesBeyond32Bits() {
    assertThat(((QueryInput.Ints) parse(InputType.INTS, "{\"input\": [1, -2]}").query().inputs().get(0)).values())
        .containsExactly(1, -2);
    assertInvalid(InputType.INTS, "{\"input\": [1.5]}",
        "Input for app demo must be an array of 32-bit integers (1.5 is not one)");
    assertInvalid(InputType.INTS, "{\"input\": [3000000000]}",
        "Input for app demo must be an array of 32-bit integers (3000000000 is not one)");
  }

  @Test
  void parsesStringsAsAJsonString() {
    assertThat(parse(InputType.STRINGS, "{\"input\": \"hello\"}").query().inputs()).containsExactly(new QueryInput.Text("hello"));
    assertInvalid(InputType.STRINGS, "{\"input\": [\"hello\"]}",
        "Input for app demo must be a string");
  }

  @Test
  void parsesBytesFromBase64() {
    QueryParser.QueryRequest request = parse(InputType.BYTES, "{\"input\": \"aGk=\"}");
    assertThat(((QueryInput.Bytes) request.query().inputs().get(0)).values()).isEqualTo("hi".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> parse(InputType.BYTES, "{\"input\": \"not base64!\"}"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("Input for app demo must be a base64 string (");
  }

  @Test
  void parsesABatchInOrderWithVersionAndUid() {
    QueryParser.QueryRequest request = parse(InputType.DOUBLES,
        "{\"input_batch\": [[1], [2, 3]], \"version\": \"7\", \"uid\": 42}");
    assertThat(request.batch()).isTrue();
    assertThat(request.query().inputs()).hasSize(2);
    assertThat(((QueryInput.Doubles) request.query().inputs().get(1)).values()).containsExactly(2, 3);
    assertThat(request.query().version()).isEqualTo(Optional.of("7"));
    assertThat(request.query().uid()).isEqualTo(42);
  }

  @Test
  void rejectsAWrongTypeInsideABatchNamingTheInput() {
    assertInvalid(InputType.DOUBLES, "{\"input_batch\": [[1], \"x\"]}",
        "Input 1 of input_batch for app demo must be an array of doubles");
    assertInvalid(InputType.DOUBLES, "{\"input_batch\": []}",
        "input_batch for app demo must be a non-empty array of inputs");
  }

  @Test
  void rejectsNonNumbersForNumericApps() {
    assertInvalid(InputType.DOUBLES, "{\"input\": \"abc\"}",
        "Input for app demo must be an array of doubles");
    assertInvalid(InputType.DOUBLES, "{\"input\": [1, true]}",
        "Input for app demo must be an array of doubles (true is not a number)");
  }

  @Test
  void rejectsMalformedJsonLikeClipper() {
    assertThatThrownBy(() -> parse(InputType.DOUBLES, "{\"input\": [1,"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("Error parsing JSON: ")
        .hasMessageEndingWith("Expected JSON schema: {\"input\" := [double]}"
            + " or {\"input_batch\" := [[double]]}")
        .message().doesNotContain("Source");
    assertThatThrownBy(() -> parse(InputType.DOUBLES, "{\"input\": [1]} trailing"))
        .hasMessageStartingWith("Error parsing JSON: ");
    assertThatThrownBy(() -> parse(InputType.DOUBLES, ""))
        .hasMessageStartingWith("Error parsing JSON: the request body is empty");
    assertThatThrownBy(() -> parse(InputType.DOUBLES, "[1, 2]"))
        .hasMessageStartingWith("Error parsing JSON: the body must be a JSON object");
  }

  @Test
  void rejectsMissingOrDoubleInputKeys() {
    assertInvalid(InputType.DOUBLES, "{\"inputs\": [1]}",
        "JSON object does not have required keys input or input_batch");
    assertInvalid(InputType.DOUBLES, "{\"input\": [1], \"input_batch\": [[1]]}",
        "JSON object must have only one of input or input_batch");
  }

  @Test
  void rejectsABadUidOrVersion() {
    assertInvalid(InputType.DOUBLES, "{\"input\": [1], \"uid\": \"me\"}",
        "uid must be a 32-bit integer, not \"me\"");
    assertInvalid(InputType.DOUBLES, "{\"input\": [1], \"version\": [1]}",
        "version must be a string, not [1]");
  }

  @Test
  void errorsAreJsonErrorsWithStatus400() {
    assertThatThrownBy(() -> parse(InputType.DOUBLES, "{}"))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> {
          assertThat(e.status().value()).isEqualTo(400);
          assertThat(e.error()).isEqualTo("Json error");
        });
  }

  @Test
  void rejectsNumbersThatOverflowToInfinity() {
    assertInvalid(InputType.DOUBLES, "{\"input\": [1, 1e400]}",
        "Input for app demo must be an array of doubles (1e400 is out of range)");
    assertInvalid(InputType.FLOATS, "{\"input\": [-1e39]}",
        "Input for app demo must be an array of floats (-1e39 is out of range)");
    assertInvalid(InputType.DOUBLES, "{\"input_batch\": [[1], [-1e400]]}",
        "Input 1 of input_batch for app demo must be an array of doubles (-1e400 is out of range)");
  }

  @Test
  void rejectsALabelThatOverflowsToInfinity() {
    assertThatThrownBy(() -> parser.parseFeedback(APP, bytes("{\"input\": [1], \"label\": 1e400}"),
        ARRIVAL))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("label must be a number, not 1e400 (it is out of range)");
  }

  @Test
  void parsesFeedbackWithItsUidAndLabel() {
    Feedback feedback = parser.parseFeedback(APP,
        bytes("{\"uid\": 3, \"input\": [1, 2], \"label\": 7}"), ARRIVAL);
    assertThat(((QueryInput.Doubles) feedback.input()).values()).containsExactly(1, 2);
    assertThat(feedback.uid()).isEqualTo(3);
    assertThat(feedback.label()).isEqualTo(7.0);
    assertThat(feedback.arrival()).isEqualTo(ARRIVAL);
  }

  @Test
  void refusesMoreQueriesThanTheLimitWithA413NamingIt() {
    assertThat(parse(InputType.DOUBLES, "{\"input_batch\": [[1], [2], [3]]}").query().inputs())
        .hasSize(3);
    assertThatThrownBy(() -> parse(InputType.DOUBLES, "{\"input_batch\": [[1], [2], [3], [4]]}"))
        .isInstanceOfSatisfying(TooManyQueriesException.class, e -> {
          assertThat(e.status().value()).isEqualTo(413);
          assertThat(e.cause()).contains("3", "clipper.frontend.query.max-inputs-per-request");
        });
  }

  @Test
  void keepsTheArrivalTimeTheSloStartsFrom() {
    assertThat(parse(InputType.DOUBLES, "{\"input\": [1]}").query().arrival())
        .isEqualTo(ARRIVAL);
  }

  private static final Instant ARRIVAL = Instant.parse("2026-01-01T00:00:00Z");
  private static final App APP = new App("demo", InputType.DOUBLES, "0", 100_000, "single", true);

  private QueryParser.QueryRequest parse(InputType type, String body) {
    return parser.parse(new App("demo", type, "0", 100_000, "single", true), bytes(body),
        ARRIVAL);
  }

  private static byte[] bytes(String body) {
    return body.getBytes(StandardCharsets.UTF_8);
  }

  private void assertInvalid(InputType type, String body, String cause) {
    assertThatThrownBy(() -> parse(type, body))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage(cause);
  }
}
