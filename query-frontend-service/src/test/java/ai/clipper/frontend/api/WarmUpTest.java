package ai.clipper.frontend.api;

import static org.assertj.core.api.Assertions.assertThatCode;

import ai.clipper.frontend.config.FrontendProperties;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.support.GenericApplicationContext;
import tools.jackson.databind.json.JsonMapper;

/** The warm-up's own queries are valid for every input type, so it never stops at an error. */
class WarmUpTest {

  @Test
  void parsesAndAnswersAQueryOfEveryInputType() {
    JsonMapper json = JsonMapper.builder().build();
    WarmUp warmUp = new WarmUp(
        new Binder().bindOrCreate("clipper.frontend", FrontendProperties.class),
        new GenericApplicationContext(), new QueryParser(json, 10),
        new AnswerJson(json, new OutputJson(json)));

    assertThatCode(warmUp::inProcess).doesNotThrowAnyException();
  }
}
