package ai.clipper.frontend.v2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.clipper.frontend.input.QueryInput;
import ai.clipper.sdk.InputType;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class QueryInputsTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private static InputTensor tensor(String datatype, List<Long> shape, String data) {
    return new InputTensor("x", datatype, TensorShape.of("x", shape),
        new JsonTensorData("x", JSON.readTree(data)));
  }

  private static List<QueryInput> split(InputType type, String datatype, List<Long> shape,
      String data) {
    return QueryInputs.split("app", type, tensor(datatype, shape, data));
  }

  @Test
  void cutsAFlatFp64TensorIntoOneQueryPerRow() {
    List<QueryInput> queries = split(InputType.DOUBLES, "FP64", List.of(2L, 3L),
        "[1, 2, 3, 4.5, 5, 6]");

    assertThat(queries).hasSize(2);
    assertThat(((QueryInput.Doubles) queries.get(0)).values()).containsExactly(1, 2, 3);
    assertThat(((QueryInput.Doubles) queries.get(1)).values()).containsExactly(4.5, 5, 6);
  }

  @Test
  void readsNestedDataLikeFlatData() {
    List<QueryInput> nested = split(InputType.INTS, "INT32", List.of(2L, 2L), "[[1, 2], [3, 4]]");

    assertThat(((QueryInput.Ints) nested.get(0)).values()).containsExactly(1, 2);
    assertThat(((QueryInput.Ints) nested.get(1)).values()).containsExactly(3, 4);
  }

  @Test
  void flattensTrailingDimensionsIntoOneQueryRowMajor() {
    List<QueryInput> queries = split(InputType.FLOATS, "FP32", List.of(1L, 2L, 2L),
        "[[[1, 2], [3, 4]]]");

    assertThat(queries).hasSize(1);
    assertThat(((QueryInput.Floats) queries.get(0)).values()).containsExactly(1f, 2f, 3f, 4f);
  }

  @Test
  void widensFp32AndIntegersForADoublesApp() {
    assertThat(((QueryInput.Doubles) split(InputType.DOUBLES, "FP32", List.of(1L, 2L), "[0.5, 2]").get(0)).values())
        .containsExactly(0.5, 2.0);
    assertThat(((QueryInput.Doubles) split(InputType.DOUBLES, "INT8", List.of(1L, 2L), "[-3, 7]").get(0)).values())
        .containsExactly(-3.0, 7.0);
  }

  @Test
  void takesInt64ValuesWithin32BitsForAnIntsApp() {
    assertThat(((QueryInput.Ints) split(InputType.INTS, "INT64", List.of(1L, 1L), "[2147483647]").get(0)).values())
        .containsExactly(Integer.MAX_VALUE);
    assertThatThrownBy(() -> split(InputType.INTS, "INT64", List.of(1L, 1L), "[2147483648]"))
        .isInstanceOf(InferenceException.class)
        .hasMessage("input 'x': 2147483648 does not fit in 32 bits");
  }

  @Test
  void refusesAValueOutsideItsDatatype() {
    assertThatThrownBy(() -> split(InputType.INTS, "INT8", List.of(1L, 1L), "[300]"))
        .hasMessage("input 'x': 300 is not a valid INT8");
    assertThatThrownBy(() -> split(InputType.INTS, "INT32", List.of(1L, 1L), "[1.5]"))
        .hasMessage("input 'x': 1.5 is not a valid INT32");
  }

  @Test
  void refusesADatatypeTheAppDoesNotTake() {
    assertThatThrownBy(() -> split(InputType.DOUBLES, "BYTES", List.of(1L), "[\"a\"]"))
        .isInstanceOf(InferenceException.class)
        .satisfies(e -> assertThat(((InferenceException) e).kind())
            .isEqualTo(InferenceException.Kind.INVALID))
        .hasMessage("input 'x': model app takes FP64 (or FP32, or an integer type), not BYTES");
    assertThatThrownBy(() -> split(InputType.FLOATS, "FP64", List.of(1L, 1L), "[1]"))
        .hasMessageContaining("takes FP32 (or an integer type), not FP64");
    assertThatThrownBy(() -> split(InputType.DOUBLES, "FP128", List.of(1L, 1L), "[1]"))
        .hasMessage("input 'x': unknown datatype FP128");
  }

  @Test
  void refusesDataThatDoesNotMatchTheShape() {
    assertThatThrownBy(() -> split(InputType.DOUBLES, "FP64", List.of(2L, 3L), "[1, 2, 3]"))
        .hasMessage("input 'x': holds 3 elements, its shape [2, 3] needs 6");
    assertThatThrownBy(() -> split(InputType.DOUBLES, "FP64", List.of(2L, 2L),
        "[[1, 2], [3]]"))
        .hasMessageContaining("does not follow its shape [2, 2] at depth 1");
    assertThatThrownBy(() -> split(InputType.DOUBLES, "FP64", List.of(2L, 2L),
        "[[1, 2], 3, 4]"))
        .hasMessage("input 'x': data does not follow its shape [2, 2] at depth 0 (3 elements)");
  }

  @Test
  void needsARowDimensionForVectorsAndOneElementPerStringQuery() {
    assertThatThrownBy(() -> split(InputType.DOUBLES, "FP64", List.of(3L), "[1, 2, 3]"))
        .hasMessage("input 'x': shape [3] has no row dimension to batch: send [N, k],"
            + " N queries of k values");
    assertThatThrownBy(() -> split(InputType.STRINGS, "BYTES", List.of(1L, 2L),
        "[\"a\", \"b\"]"))
        .hasMessage("input 'x': shape [1, 2] is not [N] or [N, 1]: a query is one element");
    assertThatThrownBy(() -> split(InputType.DOUBLES, "FP64", List.of(0L, 3L), "[]"))
        .hasMessage("input 'x': shape [0, 3] holds no query");
    assertThatThrownBy(() -> TensorShape.of("x", List.of(2L, -1L)))
        .hasMessage("input 'x': shape [2, -1] has a negative dimension");
  }

  @Test
  void givesAStringsAppTextAndABytesAppTheBytes() {
    assertThat(split(InputType.STRINGS, "BYTES", List.of(2L), "[\"héllo\", \"b\"]"))
        .containsExactly(new QueryInput.Text("héllo"), new QueryInput.Text("b"));
    List<QueryInput> bytes = split(InputType.BYTES, "BYTES", List.of(1L, 1L), "[\"hi\"]");
    assertThat(((QueryInput.Bytes) bytes.get(0)).values()).isEqualTo("hi".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void refusesNonFiniteNumbers() {
    InputTensor infinite = new InputTensor("x", "FP64", TensorShape.of("x", List.of(1L, 1L)),
        (type, shape) -> new TensorValues.Doubles(new double[] {Double.NaN}));

    assertThatThrownBy(() -> QueryInputs.split("app", InputType.DOUBLES, infinite))
        .hasMessage("input 'x': NaN is not a finite number");
  }
}
