package ai.clipper.management.launcher;

import ai.clipper.sdk.Model;
import java.util.Arrays;
import java.util.List;

/** The model the launcher tests run as a real container process: sums each input. */
public class SumTestModel implements Model<double[]> {

  @Override
  public List<String> predict(List<double[]> inputs) {
    return inputs.stream().map(x -> String.valueOf(Arrays.stream(x).sum())).toList();
  }
}
