package ai.clipper.examples;

import ai.clipper.sdk.Model;
import java.util.Collections;
import java.util.List;

/** {@code java-noop}: any input, output {@code "0"}; measures the serving overhead alone. */
public final class NoopModel implements Model<Object> {

  @Override
  public List<String> predict(List<Object> inputs) {
    return Collections.nCopies(inputs.size(), "0");
  }
}
