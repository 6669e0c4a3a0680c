package ai.clipper.frontend.api;

import static org.assertj.core.api.Assertions.assertThat;

import ai.clipper.frontend.query.Prediction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** Answers in Clipper's shape; a lone default's prepared bytes read as the full writer's would. */
class AnswerJsonTest {

  private final JsonMapper json = JsonMapper.builder().build();
  private final AnswerJson answers = new AnswerJson(json, new OutputJson(json));

  @Test
  void aShedDefaultIsWrittenFromPreparedBytesWithEachQueryItsOwnId() {
    Prediction shed = Prediction.defaulted("-1", Prediction.DefaultReason.SHED,
        Prediction.SLO_MISSED);

    assertThat(one(shed)).isEqualTo("{\"query_id\":0,\"output\":-1,\"default\":true,"
        + "\"default_explanation\":\"" + Prediction.SLO_MISSED + "\"}");
    assertThat(one(shed)).startsWith("{\"query_id\":1,\"output\":-1,");
    // The same default inside a batch, written in full, reads the same.
    assertThat(new String(answers.predictions(List.of(shed), true), StandardCharsets.UTF_8))
        .isEqualTo("{\"batch_predictions\":[{\"query_id\":2,\"output\":-1,\"default\":true,"
            + "\"default_explanation\":\"" + Prediction.SLO_MISSED + "\"}]}");
  }

  @Test
  void aDefaultOutputThatIsNotJsonIsEscapedAsAString() {
    Prediction noModel = Prediction.defaulted("say \"no\"", Prediction.DefaultReason.NO_MODEL,
        Prediction.NO_CONNECTED_MODELS);

    assertThat(one(noModel)).isEqualTo("{\"query_id\":0,\"output\":\"say \\\"no\\\"\","
        + "\"default\":true,\"default_explanation\":\"" + Prediction.NO_CONNECTED_MODELS + "\"}");
  }

  @Test
  void aModelErrorKeepsItsOwnExplanation() {
    Prediction failed = Prediction.defaulted("-1", Prediction.DefaultReason.MODEL_ERROR,
        "Model error: boom");

    assertThat(one(failed)).contains("\"default_explanation\":\"Model error: boom\"");
  }

  private String one(Prediction prediction) {
    return new String(answers.predictions(List.of(prediction), false), StandardCharsets.UTF_8);
  }
}
