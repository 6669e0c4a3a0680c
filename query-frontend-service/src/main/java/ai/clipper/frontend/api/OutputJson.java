package ai.clipper.frontend.api;

import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

/**
 * Clipper re-parses a model's output string as JSON: {@code "1"} answers the number 1,
 * {@code "[1,2]"} an array, and anything that is not one JSON value stays a string.
 */
@Component
class OutputJson {

  private final ObjectReader reader;
  private final JsonMapper mapper;

  OutputJson(JsonMapper mapper) {
    this.mapper = mapper;
    this.reader = mapper.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  }

  JsonNode of(String output) {
    try {
      JsonNode node = reader.readTree(output);
      if (node != null && !node.isMissingNode()) {
        return node;
      }
    } catch (JacksonException notJson) {
      // a plain string output
    }
    return mapper.getNodeFactory().stringNode(output);
  }
}
