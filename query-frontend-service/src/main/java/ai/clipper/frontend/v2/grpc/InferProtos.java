package ai.clipper.frontend.v2.grpc;

import ai.clipper.frontend.query.Prediction;
import ai.clipper.frontend.tracing.ServerTiming;
import ai.clipper.frontend.v2.InferRequest;
import ai.clipper.frontend.v2.InferResult;
import ai.clipper.frontend.v2.InferenceException;
import ai.clipper.frontend.v2.InputTensor;
import ai.clipper.frontend.v2.RequestParameters;
import ai.clipper.frontend.v2.TensorShape;
import ai.clipper.frontend.v2.grpc.proto.InferParameter;
import ai.clipper.frontend.v2.grpc.proto.InferTensorContents;
import ai.clipper.frontend.v2.grpc.proto.ModelInferRequest;
import ai.clipper.frontend.v2.grpc.proto.ModelInferResponse;
import com.google.protobuf.ByteString;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * ModelInferRequest to {@link InferRequest} and {@link InferResult} to ModelInferResponse. The
 * answer comes in the form the request used: raw_output_contents for a request with
 * raw_input_contents (what Triton's clients send and read), typed contents otherwise.
 */
final class InferProtos {

  private InferProtos() {
  }

  /**
   * @param deadline the time left before the call's gRPC deadline, if it has one: it shortens
   *     the SLO as the timeout parameter does (the shorter of the two wins)
   */
  static InferRequest request(ModelInferRequest proto, Optional<Duration> deadline) {
    boolean raw = proto.getRawInputContentsCount() > 0;
    if (raw && proto.getRawInputContentsCount() != proto.getInputsCount()) {
      throw InferenceException.invalid("raw_input_contents has " + proto.getRawInputContentsCount()
          + " entries for " + proto.getInputsCount() + " inputs");
    }
    List<InputTensor> inputs = new ArrayList<>();
    for (int i = 0; i < proto.getInputsCount(); i++) {
      ModelInferRequest.InferInputTensor input = proto.getInputs(i);
      String name = input.getName();
      if (raw && input.hasContents()) {
        throw InferenceException.invalid("input '" + name + "' has contents although the"
            + " request uses raw_input_contents");
      }
      inputs.add(new InputTensor(name, input.getDatatype(),
          TensorShape.of(name, input.getShapeList()),
          raw ? ProtoTensorData.raw(name, proto.getRawInputContents(i))
              : ProtoTensorData.typed(name, input.getContents())));
    }
    InferParameter uid = proto.getParametersMap().get(RequestParameters.UID);
    InferParameter timeout = proto.getParametersMap().get(RequestParameters.TIMEOUT);
    InferParameter timing = proto.getParametersMap().get(RequestParameters.TIMING);
    if (timing != null && timing.getParameterChoiceCase()
        != InferParameter.ParameterChoiceCase.BOOL_PARAM) {
      throw InferenceException.invalid("parameter timing must be a bool_param");
    }
    Optional<Duration> asked = timeout == null ? Optional.empty()
        : Optional.of(RequestParameters.timeout(integer(timeout, RequestParameters.TIMEOUT)));
    Optional<Duration> shortest = deadline.isPresent() && asked.isPresent()
        ? Optional.of(deadline.get().compareTo(asked.get()) < 0 ? deadline.get() : asked.get())
        : deadline.or(() -> asked);
    return new InferRequest(proto.getModelName(),
        proto.getModelVersion().isEmpty() ? Optional.empty()
            : Optional.of(proto.getModelVersion()),
        proto.getId(),
        uid == null ? 0 : RequestParameters.uid(integer(uid, RequestParameters.UID)),
        shortest, timing != null && timing.getBoolParam(), inputs,
        proto.getOutputsList().stream()
            .map(ModelInferRequest.InferRequestedOutputTensor::getName).toList());
  }

  static ModelInferResponse response(InferResult result, boolean raw) {
    ModelInferResponse.Builder response = ModelInferResponse.newBuilder()
        .setModelName(result.model())
        .setModelVersion(result.version())
        .setId(result.id())
        .putParameters(InferResult.DEFAULT,
            InferParameter.newBuilder().setBoolParam(result.anyDefault()).build());
    if (result.anyDefault()) {
      response.putParameters("default_explanation",
          InferParameter.newBuilder().setStringParam(result.defaultExplanation()).build());
    }
    if (result.timing() != null) {
      response.putParameters(RequestParameters.QUEUE_MS, millis(result.timing().queueNanos()));
      response.putParameters(RequestParameters.MODEL_MS, millis(result.timing().modelNanos()));
      response.putParameters(RequestParameters.TOTAL_MS, millis(result.timing().totalNanos()));
    }
    List<Prediction> rows = result.predictions();
    for (String output : result.outputs()) {
      boolean isDefault = output.equals(InferResult.DEFAULT);
      ModelInferResponse.InferOutputTensor.Builder tensor =
          ModelInferResponse.InferOutputTensor.newBuilder()
              .setName(output)
              .setDatatype(isDefault ? "BOOL" : "BYTES")
              .addShape(rows.size());
      if (raw) {
        response.addRawOutputContents(isDefault ? rawFlags(rows) : rawStrings(rows));
      } else {
        InferTensorContents.Builder contents = InferTensorContents.newBuilder();
        for (Prediction row : rows) {
          if (isDefault) {
            contents.addBoolContents(row.isDefault());
          } else {
            contents.addBytesContents(ByteString.copyFromUtf8(row.output()));
          }
        }
        tensor.setContents(contents);
      }
      response.addOutputs(tensor);
    }
    return response.build();
  }

  private static InferParameter millis(long nanos) {
    return InferParameter.newBuilder().setDoubleParam(ServerTiming.millis(nanos)).build();
  }

  private static ByteString rawStrings(List<Prediction> rows) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ByteBuffer length = ByteBuffer.allocate(Integer.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    for (Prediction row : rows) {
      byte[] utf8 = row.output().getBytes(StandardCharsets.UTF_8);
      bytes.writeBytes(length.clear().putInt(utf8.length).array());
      bytes.writeBytes(utf8);
    }
    return ByteString.copyFrom(bytes.toByteArray());
  }

  private static ByteString rawFlags(List<Prediction> rows) {
    byte[] flags = new byte[rows.size()];
    for (int i = 0; i < flags.length; i++) {
      flags[i] = (byte) (rows.get(i).isDefault() ? 1 : 0);
    }
    return ByteString.copyFrom(flags);
  }

  private static long integer(InferParameter parameter, String name) {
    return switch (parameter.getParameterChoiceCase()) {
      case INT64_PARAM -> parameter.getInt64Param();
      case UINT64_PARAM -> parameter.getUint64Param() < 0 ? Long.MAX_VALUE
          : parameter.getUint64Param();
      default -> throw InferenceException.invalid("parameter " + name
          + " must be an int64_param, not " + parameter.getParameterChoiceCase());
    };
  }
}
