package ai.clipper.frontend.v2;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * A REST input's {@code data}: flat (row-major) or nested as deep as the shape, each element a
 * JSON number for the numeric types and a JSON string for BYTES (its UTF-8 bytes).
 */
final class JsonTensorData implements InputTensor.Data {

  private final String tensor;
  private final JsonNode data;

  JsonTensorData(String tensor, JsonNode data) {
    this.tensor = tensor;
    this.data = data;
  }

  @Override
  public TensorValues decode(Datatype type, TensorShape shape) {
    List<JsonNode> elements = new ArrayList<>(shape.elements());
    if (!data.isEmpty() && data.get(0).isArray()) {
      nested(data, shape, 0, elements);
    } else {
      for (JsonNode element : data) {
        if (element.isArray()) {
          throw invalid("data mixes arrays and elements at its top level");
        }
        elements.add(element);
      }
    }
    int n = elements.size();
    if (type == Datatype.FP64) {
      double[] values = new double[n];
      for (int i = 0; i < n; i++) {
        values[i] = number(elements.get(i), type).doubleValue();
      }
      return new TensorValues.Doubles(values);
    }
    if (type == Datatype.FP32) {
      float[] values = new float[n];
      for (int i = 0; i < n; i++) {
        values[i] = (float) number(elements.get(i), type).doubleValue();
      }
      return new TensorValues.Floats(values);
    }
    if (type.isInteger()) {
      long[] values = new long[n];
      for (int i = 0; i < n; i++) {
        JsonNode element = number(elements.get(i), type);
        if (!element.isIntegralNumber() || !element.canConvertToLong()) {
          throw invalid(element + " is not a valid " + type);
        }
        values[i] = element.longValue();
      }
      return new TensorValues.Longs(values);
    }
    if (type == Datatype.BYTES) {
      List<byte[]> values = new ArrayList<>(n);
      for (JsonNode element : elements) {
        if (!element.isString()) {
          throw invalid("a BYTES element must be a JSON string, not " + element);
        }
        values.add(element.stringValue().getBytes(StandardCharsets.UTF_8));
      }
      return new TensorValues.Bytes(values);
    }
    throw invalid("datatype " + type + " is not read from JSON here");
  }

  /** Collects the leaves of a nested array, checking each level's length against the shape. */
  private void nested(JsonNode node, TensorShape shape, int depth, List<JsonNode> into) {
    if (depth == shape.rank()) {
      if (node.isArray()) {
        throw invalid("data is nested deeper than its shape " + shape);
      }
      into.add(node);
      return;
    }
    if (!node.isArray() || node.size() != shape.dim(depth)) {
      throw invalid("data does not follow its shape " + shape + " at depth " + depth
          + " (" + (node.isArray() ? node.size() + " elements" : node.toString()) + ")");
    }
    for (JsonNode child : node) {
      nested(child, shape, depth + 1, into);
    }
  }

  private JsonNode number(JsonNode element, Datatype type) {
    if (!element.isNumber()) {
      throw invalid(element + " is not a number, as " + type + " elements are");
    }
    return element;
  }

  private InferenceException invalid(String problem) {
    return InferenceException.invalid("input '" + tensor + "': " + problem);
  }
}
