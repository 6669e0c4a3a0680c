"""The gRPC side of a container: checks a batch, hands it to predict, checks the answer.

Mirrors ai.clipper.sdk.internal.PredictService: a bad request is INVALID_ARGUMENT, anything that
goes wrong in or after predict is INTERNAL, and either way the container keeps serving.
"""

import logging
import time
from typing import Any, Callable, List, Sequence, Tuple

import grpc

from clipper_container import codec
from clipper_container.config import ContainerConfig
from clipper_container.proto import container_pb2, container_pb2_grpc

LOG = logging.getLogger(__name__)

PredictFn = Callable[[List[Any]], Sequence[str]]


class ModelOutputError(RuntimeError):
    """predict answered something other than one string per input."""


class PredictService(container_pb2_grpc.ModelContainerServicer):
    """Serves Predict and Metadata for one predict function and configuration."""

    def __init__(self, predict: PredictFn, config: ContainerConfig, as_numpy: bool):
        self._predict = predict
        self._config = config
        self._as_numpy = as_numpy

    def Predict(self, request, context):
        """Answers the outputs and compute_nanos: the time of predict and of checking its answer,
        not of decoding, so the frontend can tell the model's own time from the rest."""
        try:
            inputs = self._inputs_of(request)
            started = time.perf_counter_ns()
            outputs = checked_outputs(self._predict(inputs), len(inputs))
            compute_nanos = time.perf_counter_ns() - started
            return container_pb2.PredictResponse(outputs=outputs, compute_nanos=compute_nanos)
        except Exception as error:  # every failure becomes a status, the server keeps going
            code, message = to_status(error)
            context.abort(code, message)

    def Metadata(self, request, context):
        return container_pb2.MetadataResponse(
            model_name=self._config.model_name,
            model_version=self._config.model_version,
            input_type=container_pb2.InputType.Value(self._config.input_type.name),
        )

    def _inputs_of(self, request) -> List[Any]:
        sent = codec.type_of(request)
        if sent is None:
            raise codec.BadBatchError("The request carries no inputs")
        if sent is not self._config.input_type:
            raise codec.BadBatchError(
                "This container takes %s inputs, not %s" % (self._config.input_type, sent))
        inputs = codec.decode(request, as_numpy=self._as_numpy)
        if not inputs:
            raise codec.BadBatchError("The batch is empty")
        return inputs


def checked_outputs(outputs: Any, expected: int) -> List[str]:
    """outputs as a list of exactly expected strings, or ModelOutputError saying what is wrong."""
    if outputs is None or isinstance(outputs, (str, bytes)) or not hasattr(outputs, "__len__"):
        raise ModelOutputError(
            "The model returned %s, not a list of strings" % type(outputs).__name__)
    outputs = list(outputs)
    if len(outputs) != expected:
        raise ModelOutputError(
            "The model returned %d outputs for %d inputs" % (len(outputs), expected))
    for index, output in enumerate(outputs):
        if not isinstance(output, str):
            raise ModelOutputError(
                "Output %d is a %s, not a str" % (index, type(output).__name__))
    return outputs


def to_status(error: BaseException) -> Tuple[grpc.StatusCode, str]:
    """The one place a failure becomes a gRPC status code and message."""
    if isinstance(error, codec.BadBatchError):
        return grpc.StatusCode.INVALID_ARGUMENT, str(error)
    if isinstance(error, ModelOutputError):
        LOG.warning("Model answered badly: %s", error)
        return grpc.StatusCode.INTERNAL, "Model error: %s" % error
    LOG.warning("Model failed on a batch", exc_info=error)
    return grpc.StatusCode.INTERNAL, "Model error: %s: %s" % (type(error).__name__, error)
