package ai.clipper.examples;

import ai.clipper.sdk.Model;
import java.util.Base64;
import java.util.List;
import java.util.StringJoiner;

/**
 * {@code java-echo}: any input type, each input answered as it arrived: numbers as a JSON array
 * ({@code [1,2.5]}), a string as itself, bytes as base64. Shows exactly what a container
 * received, e.g. that an API's datatype mapping and batching kept every value in its row.
 */
public final class EchoModel implements Model<Object> {

  @Override
  public List<String> predict(List<Object> inputs) {
    return inputs.stream().map(EchoModel::echo).toList();
  }

  private static String echo(Object input) {
    if (input instanceof String text) {
      return text;
    }
    if (input instanceof byte[] bytes) {
      return Base64.getEncoder().encodeToString(bytes);
    }
    StringJoiner json = new StringJoiner(",", "[", "]");
    if (input instanceof double[] doubles) {
      for (double v : doubles) {
        json.add(Numbers.format(v));
      }
    } else if (input instanceof float[] floats) {
      for (float v : floats) {
        json.add(Numbers.format(v));
      }
    } else {
      for (int v : (int[]) input) {
        json.add(Integer.toString(v));
      }
    }
    return json.toString();
  }
}
