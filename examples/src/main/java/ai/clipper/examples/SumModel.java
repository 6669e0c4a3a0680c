package ai.clipper.examples;

import ai.clipper.sdk.Model;
import java.util.Arrays;
import java.util.List;

/** {@code java-sum}: doubles in, their sum out; the demo app's model. */
public final class SumModel implements Model<double[]> {

  @Override
  public List<String> predict(List<double[]> inputs) {
    return inputs.stream().map(x -> Numbers.format(Arrays.stream(x).sum())).toList();
  }
}
