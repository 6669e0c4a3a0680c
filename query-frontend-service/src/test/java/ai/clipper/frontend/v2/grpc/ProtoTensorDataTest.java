package ai.clipper.frontend.v2.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.clipper.frontend.input.QueryInput;
import ai.clipper.frontend.v2.InputTensor;
import ai.clipper.frontend.v2.QueryInputs;
import ai.clipper.frontend.v2.TensorShape;
import ai.clipper.frontend.v2.grpc.proto.InferTensorContents;
import ai.clipper.sdk.InputType;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProtoTensorDataTest {

  private static List<QueryInput> split(InputType app, String datatype, List<Long> shape,
      InputTensor.Data data) {
    return QueryInputs.split("app", app,
        new InputTensor("x", datatype, TensorShape.of("x", shape), data));
  }

  private static ByteString littleEndian(int bytes, java.util.function.Consumer<ByteBuffer> fill) {
    ByteBuffer buffer = ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
    fill.accept(buffer);
    return ByteString.copyFrom(buffer.array());
  }

  @Test
  void readsRawFp64AndFp32LittleEndian() {
    ByteString fp64 = littleEndian(32, b -> b.putDouble(1).putDouble(2).putDouble(3.5)
        .putDouble(-4));
    List<QueryInput> rows = split(InputType.DOUBLES, "FP64", List.of(2L, 2L),
        ProtoTensorData.raw("x", fp64));
    assertThat(((QueryInput.Doubles) rows.get(0)).values()).containsExactly(1, 2);
    assertThat(((QueryInput.Doubles) rows.get(1)).values()).containsExactly(3.5, -4);

    ByteString fp32 = littleEndian(8, b -> b.putFloat(0.25f).putFloat(8));
    assertThat(((QueryInput.Floats) split(InputType.FLOATS, "FP32", List.of(1L, 2L),
        ProtoTensorData.raw("x", fp32)).get(0)).values()).containsExactly(0.25f, 8f);
  }

  @Test
  void readsRawIntegersOfEverySize() {
    ByteString int16 = littleEndian(4, b -> b.putShort((short) -2).putShort((short) 300));
    assertThat(((QueryInput.Ints) split(InputType.INTS, "INT16", List.of(1L, 2L),
        ProtoTensorData.raw("x", int16)).get(0)).values()).containsExactly(-2, 300);
    ByteString uint8 = ByteString.copyFrom(new byte[] {(byte) 255, 1});
    assertThat(((QueryInput.Ints) split(InputType.INTS, "UINT8", List.of(2L, 1L),
        ProtoTensorData.raw("x", uint8)).get(0)).values()).containsExactly(255);
    ByteString int64 = littleEndian(8, b -> b.putLong(1L << 40));
    assertThatThrownBy(() -> split(InputType.INTS, "INT64", List.of(1L, 1L),
        ProtoTensorData.raw("x", int64)))
        .hasMessage("input 'x': 1099511627776 does not fit in 32 bits");
  }

  @Test
  void readsRawBytesAsLengthPrefixedElements() {
    ByteString raw = littleEndian(4 + 2 + 4 + 3, b -> b.putInt(2).put("hi".getBytes())
        .putInt(3).put("abc".getBytes()));
    assertThat(split(InputType.STRINGS, "BYTES", List.of(2L), ProtoTensorData.raw("x", raw)))
        .containsExactly(new QueryInput.Text("hi"), new QueryInput.Text("abc"));

    ByteString cut = littleEndian(4 + 1, b -> b.putInt(5).put((byte) 'h'));
    assertThatThrownBy(() -> split(InputType.STRINGS, "BYTES", List.of(1L),
        ProtoTensorData.raw("x", cut)))
        .hasMessage("input 'x': a raw BYTES element's length 5 runs past the contents' end");
  }

  @Test
  void refusesRawContentsOfTheWrongSize() {
    ByteString raw = littleEndian(12, b -> b.putDouble(1).putInt(0));
    assertThatThrownBy(() -> split(InputType.DOUBLES, "FP64", List.of(1L, 2L),
        ProtoTensorData.raw("x", raw)))
        .hasMessage("input 'x': raw_input_contents holds 12 bytes; shape [1, 2] of FP64"
            + " needs 16");
  }

  @Test
  void readsTypedContentsFromTheDatatypesField() {
    InferTensorContents contents = InferTensorContents.newBuilder()
        .addAllIntContents(List.of(1, 2, 3, 4)).build();
    List<QueryInput> rows = split(InputType.INTS, "INT32", List.of(2L, 2L),
        ProtoTensorData.typed("x", contents));
    assertThat(((QueryInput.Ints) rows.get(1)).values()).containsExactly(3, 4);

    assertThatThrownBy(() -> split(InputType.DOUBLES, "FP64", List.of(2L, 2L),
        ProtoTensorData.typed("x", contents)))
        .hasMessage("input 'x': holds 0 elements, its shape [2, 2] needs 4");
  }
}
