package ai.clipper.frontend.query;

import ai.clipper.frontend.config.FrontendProperties;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The most queries one request may carry, whatever API it came through: the rule both parsers
 * check, each answering in its own API's words.
 */
@Component
public class InputLimit {

  /** The setting, which an answer to a request over the limit names. */
  public static final String PROPERTY = "clipper.frontend.query.max-inputs-per-request";

  private final int max;

  @Autowired
  InputLimit(FrontendProperties properties) {
    this(properties.query().maxInputsPerRequest());
  }

  public InputLimit(int max) {
    this.max = max;
  }

  public int max() {
    return max;
  }

  /** Whether a request may carry {@code count} queries. */
  public boolean allows(int count) {
    return count <= max;
  }
}
