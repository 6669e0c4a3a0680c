"""Runs a predict function as a model container: gRPC server, health, registration, signals."""

import logging
import signal
import sys
import threading
from concurrent import futures
from typing import Optional

import grpc

from clipper_container import codec, registration
from clipper_container.config import ContainerConfig
from clipper_container.health import NOT_SERVING, SERVING, HealthService
from clipper_container.metrics import ContainerMetrics
from clipper_container.proto import container_pb2_grpc
from clipper_container.service import PredictFn, PredictService, SampleInputError, warm_up
from clipper_container.span_export import SpanExporter
from clipper_container.tracing import PredictTracer

LOG = logging.getLogger(__name__)

SERVICE_NAME = "clipper.container.v1.ModelContainer"
MAX_MESSAGE_BYTES = 64 * 1024 * 1024  # as the Java SDK
GRACE_SECONDS = 5.0


class Container:
    """A running model container. Create it with start() (or run one with serve())."""

    def __init__(self, server: grpc.Server, health: HealthService, config: ContainerConfig,
                 port: int, model_thread: Optional[futures.Executor] = None,
                 metrics: Optional[ContainerMetrics] = None,
                 spans: Optional[SpanExporter] = None):
        self._server = server
        self._health = health
        self._model_thread = model_thread
        self._metrics = metrics
        self._spans = spans
        self._stopping = threading.Event()
        self.config = config
        self.port = port  # the bound port, useful when config.port was 0

    def register(self, within_seconds: float = 30.0) -> bool:
        """Registers with config.management_url (see registration.register)."""
        return registration.register(self.config, self.port, within_seconds,
                                     should_stop=self._stopping.is_set)

    def stop(self, grace: float = GRACE_SECONDS) -> threading.Event:
        """Reports NOT_SERVING, refuses new calls, lets running batches finish for grace seconds.

        Batches already waiting for the model thread are still predicted while the grace lasts
        (after it, their calls are cancelled and the model thread skips them); then the model
        thread ends. Returns an event set once the server has stopped; does not block, so it is
        safe to call from a signal handler.
        """
        self._stopping.set()
        self._health.set_all(NOT_SERVING)
        stopped = self._server.stop(grace)
        if self._model_thread is not None:
            self._model_thread.shutdown(wait=False)
        return stopped

    def wait(self) -> None:
        """Blocks until the server has stopped."""
        self._server.wait_for_termination()

    def close(self, timeout: float = 5.0) -> None:
        """After stop(): sends the spans not sent yet (waiting up to timeout) and stops serving
        metrics. serve() calls it once the server has stopped; unsent spans are also sent at
        interpreter exit."""
        if self._spans is not None:
            self._spans.close(timeout)
        if self._metrics is not None:
            self._metrics.close()


def start(predict: PredictFn, config: Optional[ContainerConfig] = None, *,
          as_numpy: Optional[bool] = None, max_workers: int = 8,
          register: bool = True) -> Container:
    """Starts serving predict and returns at once (after registering, when a URL is configured).

    config defaults to ContainerConfig.from_env(). Numeric inputs are numpy arrays when as_numpy
    is true, lists when false, and numpy arrays whenever numpy is importable when it is None.
    predict is called on one thread, one batch at a time in arrival order; a batch that arrives
    meanwhile waits its turn, and one whose caller gave up while it waited is not predicted.
    max_workers is the size of the gRPC server's pool, which receives the calls: each batch
    holds a thread of it until answered (one predicting, the others waiting), and health checks
    and Metadata calls need a free one, so it must be at least 2 and should exceed the batches
    the frontend keeps in flight to one replica.
    When config has a sample input (CLIPPER_SAMPLE_INPUT), predict answers it once on the model
    thread before anything is bound, so the first query finds the model warm.
    With config.metrics_port it serves Prometheus metrics there (clipper_container.metrics); with
    config.tracing it sends a predict span per sampled query (clipper_container.tracing).
    Raises SampleInputError when the model fails on its sample input, OSError when a port cannot
    be bound, RegistrationError when registration fails.
    """
    config = ContainerConfig.from_env() if config is None else config
    if as_numpy is None:
        as_numpy = codec.numpy_available()
    elif as_numpy and not codec.numpy_available():
        raise ValueError("as_numpy=True but numpy cannot be imported")
    if max_workers < 2:
        raise ValueError("max_workers must be at least 2, so that health checks are answered "
                         "while a batch is predicted, not %d" % max_workers)
    model_thread = futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="model")
    try:  # on the thread that predicts every batch afterwards (thread-bound model state)
        model_thread.submit(warm_up, predict, config, as_numpy).result()
    except BaseException:
        model_thread.shutdown(wait=False)
        raise
    server = grpc.server(
        futures.ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="grpc"),
        options=[("grpc.max_receive_message_length", MAX_MESSAGE_BYTES),
                 ("grpc.max_send_message_length", MAX_MESSAGE_BYTES)])
    metrics = ContainerMetrics(config.model_name, config.model_version) \
        if config.metrics_port else None
    try:
        if metrics is not None:
            metrics.serve(config.metrics_port)
        port = _bind(server, config.port)
    except OSError:
        model_thread.shutdown(wait=False)
        if metrics is not None:
            metrics.close()
        raise
    spans = SpanExporter(config.tracing) if config.tracing is not None else None
    tracer = PredictTracer(config.model_name, config.model_version, spans.add) \
        if spans is not None else None
    container_pb2_grpc.add_ModelContainerServicer_to_server(
        PredictService(predict, config, as_numpy, model_thread, tracer, metrics), server)
    health = HealthService(("", SERVICE_NAME))
    health.add_to(server)
    server.start()
    health.set_all(SERVING)
    container = Container(server, health, config, port, model_thread, metrics, spans)
    LOG.info("Serving model %s:%s (%s) on port %d%s", config.model_name, config.model_version,
             config.input_type, port, " with numpy arrays" if as_numpy else "")
    if register and config.management_url:
        try:
            container.register()
        except Exception:
            container.stop(0)
            container.close()
            raise
    return container


def serve(predict: PredictFn, config: Optional[ContainerConfig] = None, **options) -> None:
    """Runs predict as a container until SIGTERM or SIGINT, then stops gracefully and returns.

    The usual last line of a model file: serve(predict). config defaults to the CLIPPER_*
    environment; options are those of start(). Call it from the main thread (signal handlers).
    When the model fails on its sample input (see start()), prints that one line on stderr and
    exits with status 1 (SystemExit), since that line is what the launcher's log shows.
    """
    try:
        run(predict, config, **options)
    except SampleInputError as error:
        print(error, file=sys.stderr, flush=True)
        raise SystemExit(1) from None


def run(predict: PredictFn, config: Optional[ContainerConfig] = None, **options) -> None:
    """serve() that raises SampleInputError instead of exiting (for callers that print their own
    line, such as clipper_container.runtime)."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    config = ContainerConfig.from_env() if config is None else config
    container = start(predict, config, register=False, **options)

    def on_signal(signum, frame):
        LOG.info("Received %s, stopping within %.0f s", signal.Signals(signum).name, GRACE_SECONDS)
        container.stop()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    if config.management_url:
        try:
            container.register()
        except Exception:
            container.stop(0).wait()
            container.close()
            raise
    container.wait()
    container.close()
    LOG.info("Stopped")


def _bind(server: grpc.Server, port: int) -> int:
    """Binds all interfaces (as the Java SDK does) and returns the port actually bound."""
    try:
        bound = server.add_insecure_port("[::]:%d" % port)
    except RuntimeError as error:  # newer grpcio raises, older ones return 0
        raise OSError("Cannot bind port %d: %s" % (port, error)) from error
    if bound == 0:
        raise OSError("Cannot bind port %d" % port)
    return bound
