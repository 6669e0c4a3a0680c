"""The gRPC side of a container: checks a batch, hands it to predict, checks the answer.

Mirrors ai.clipper.sdk.internal.PredictService: a bad request is INVALID_ARGUMENT, anything that
goes wrong in or after predict is INTERNAL, and either way the container keeps serving.

predict runs on one model thread, one batch at a time in arrival order (a replica is one model
instance, as in Clipper and in Triton's instance groups). The gRPC threads receive and decode
batches and answer health and metadata calls meanwhile; a batch that arrives while the model works
waits its turn, so the frontend can keep the next batch here and the model never waits for the
network between batches. A batch whose caller gave up while it waited (deadline passed, call
cancelled) is not predicted. Around predict it records the predict spans of the batch's sampled
queries and the container metrics, when on (clipper_container.tracing, .metrics).
"""

import logging
import time
from concurrent import futures
from typing import Any, Callable, List, Optional, Sequence, Tuple

import grpc

from clipper_container import codec
from clipper_container.config import ContainerConfig
from clipper_container.metrics import ContainerMetrics
from clipper_container.proto import container_pb2, container_pb2_grpc
from clipper_container.tracing import PredictTracer, Span

LOG = logging.getLogger(__name__)

PredictFn = Callable[[List[Any]], Sequence[str]]


class ModelOutputError(RuntimeError):
    """predict answered something other than one string per input."""


class StoppingError(RuntimeError):
    """A batch arrived after the container had stopped its model thread."""


class SampleInputError(RuntimeError):
    """The model failed on its sample input (CLIPPER_SAMPLE_INPUT), so the container does not
    start; str() is one line starting "The model failed on its sample input: "."""


SAMPLE_FAILED = "The model failed on its sample input: "


class PredictService(container_pb2_grpc.ModelContainerServicer):
    """Serves Predict and Metadata for one predict function and configuration.

    Every prediction runs on model_thread, an executor with a single worker that the container
    owns (and shuts down); Predict, on a gRPC thread, waits for its batch's turn.
    """

    def __init__(self, predict: PredictFn, config: ContainerConfig, as_numpy: bool,
                 model_thread: futures.Executor, tracer: Optional[PredictTracer] = None,
                 metrics: Optional[ContainerMetrics] = None):
        self._predict = predict
        self._config = config
        self._as_numpy = as_numpy
        self._model_thread = model_thread
        self._tracer = tracer
        self._metrics = metrics

    def Predict(self, request, context):
        """Answers the outputs, compute_nanos (the time of predict and of checking its answer)
        and queue_nanos (the wait for the model thread), so the frontend can tell the model's own
        time from the rest."""
        received = time.perf_counter_ns()
        # one value per sampled query of the batch (see clipper_container.tracing)
        traceparents = [value for key, value in context.invocation_metadata()
                        if key == "traceparent"] if self._tracer is not None else []
        try:
            inputs = self._inputs_of(request)
        except Exception as error:  # every failure becomes a status, the server keeps going
            if self._metrics is not None:
                self._metrics.refused()
            context.abort(*to_status(error))
        try:
            answer = self._on_model_thread(inputs, context, received, traceparents)
        except Exception as error:
            context.abort(*to_status(error))
        if answer is None:  # nobody to answer: the status is only for the server's bookkeeping
            context.abort(grpc.StatusCode.CANCELLED,
                          "The call ended before the model got to its batch")
        outputs, compute_nanos, queue_nanos = answer
        return container_pb2.PredictResponse(outputs=outputs, compute_nanos=compute_nanos,
                                              queue_nanos=queue_nanos)

    def _on_model_thread(self, inputs: List[Any], context, received: int,
                         traceparents: List[str]) -> Optional[Tuple[List[str], int, int]]:
        """Queues the batch for the model thread and waits for (outputs, compute_nanos,
        queue_nanos), or None when the call ended before the model got to the batch."""
        try:
            prediction = self._model_thread.submit(self._predict_if_wanted, inputs, context,
                                                   received, traceparents)
        except RuntimeError as error:  # the executor was shut down: the container is stopping
            raise StoppingError("The container is stopping") from error
        # When the call ends (deadline, cancellation) while the batch still waits, drop it at once
        # and free this thread; a batch already started just finishes. Runs on completion too,
        # where cancelling a finished future does nothing.
        context.add_callback(prediction.cancel)
        try:
            return prediction.result()
        except futures.CancelledError:
            return None

    def _predict_if_wanted(self, inputs: List[Any], context, received: int,
                           traceparents: List[str]) -> Optional[Tuple[List[str], int, int]]:
        """On the model thread: predicts the batch unless its call has already ended, within the
        predict spans of its sampled queries and counted in the metrics."""
        if not context.is_active():
            return None
        spans = self._tracer.start(traceparents, len(inputs)) if traceparents else []
        started = time.perf_counter_ns()
        try:
            outputs = checked_outputs(self._predict(inputs), len(inputs))
        except Exception as error:
            self._observe(spans, len(inputs), time.perf_counter_ns() - started, describe(error))
            raise
        compute_nanos = time.perf_counter_ns() - started
        self._observe(spans, len(inputs), compute_nanos, None)
        return outputs, compute_nanos, started - received

    def _observe(self, spans: List[Span], inputs: int, nanos: int, error: Optional[str]) -> None:
        if spans:
            self._tracer.end(spans, error)
        if self._metrics is not None:
            self._metrics.model_ran(inputs, nanos / 1e9, error is None)

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


def warm_up(predict: PredictFn, config: ContainerConfig, as_numpy: bool) -> Optional[str]:
    """Predicts config's sample input, when it has one, as a batch of that one input, in the form
    predict receives inputs; returns the output (None without a sample).

    Run before the container serves, as the Java SDK does: the first query then finds the model
    warm (loaded, compiled, caches filled), and a model that cannot answer fails at start with its
    own message. Raises SampleInputError on any failure: a sample that is not of the input type,
    an exception in predict, or an answer that is not one str.
    """
    if config.sample_input is None:
        return None
    try:
        sample = codec.decode_one(config.input_type, config.sample(), as_numpy)
    except ValueError as error:
        raise SampleInputError(SAMPLE_FAILED + one_line(str(error))) from None
    started = time.perf_counter()
    try:
        outputs = predict([sample])
    except Exception as error:  # whatever the model raises becomes one line
        LOG.debug("The model failed on its sample input", exc_info=True)
        raise SampleInputError(SAMPLE_FAILED + describe(error)) from error
    try:
        [output] = checked_outputs(outputs, 1)
    except ModelOutputError as error:
        raise SampleInputError(SAMPLE_FAILED + str(error)) from None
    LOG.info("Predicted the sample input in %.0f ms: %s", (time.perf_counter() - started) * 1000,
             one_line(output, 100))
    return output


def one_line(text: str, limit: int = 300) -> str:
    """The first non-empty line of text, cut at limit characters (native libraries append stack
    traces to their messages)."""
    line = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return line if len(line) <= limit else line[:limit - 3] + "..."


def describe(error: BaseException) -> str:
    """"Type: first line of the message", or the type alone when the message is empty."""
    message = one_line(str(error))
    return "%s: %s" % (type(error).__name__, message) if message else type(error).__name__


def to_status(error: BaseException) -> Tuple[grpc.StatusCode, str]:
    """The one place a failure becomes a gRPC status code and message."""
    if isinstance(error, codec.BadBatchError):
        return grpc.StatusCode.INVALID_ARGUMENT, str(error)
    if isinstance(error, StoppingError):
        return grpc.StatusCode.UNAVAILABLE, str(error)
    if isinstance(error, ModelOutputError):
        LOG.warning("Model answered badly: %s", error)
        return grpc.StatusCode.INTERNAL, "Model error: %s" % error
    LOG.warning("Model failed on a batch", exc_info=error)
    return grpc.StatusCode.INTERNAL, "Model error: %s: %s" % (type(error).__name__, error)
