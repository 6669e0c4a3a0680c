"""Shared test helpers: a real container on a free port and a real gRPC channel to it.

Importing this module also puts the SDK (the folder above tests/) on sys.path, so
`python3 -m unittest discover -s model-container-sdk/python/tests` works from any directory.
"""

import importlib.util
import logging
import os
import socket
import subprocess
import sys
import time
import unittest

SDK_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REPO_DIR = os.path.dirname(os.path.dirname(SDK_DIR))
MODELS_DIR = os.path.join(REPO_DIR, "examples", "models")
RUNTIMES_DIR = os.path.join(REPO_DIR, "runtimes")
if SDK_DIR not in sys.path:
    sys.path.insert(0, SDK_DIR)

import grpc  # noqa: E402

from clipper_container import ContainerConfig, InputType, start  # noqa: E402
from clipper_container.codec import encode  # noqa: E402
from clipper_container.health import health_pb2, health_pb2_grpc  # noqa: E402
from clipper_container.proto import container_pb2_grpc  # noqa: E402

try:
    import numpy  # noqa: F401
    HAVE_NUMPY = True
except ImportError:
    HAVE_NUMPY = False

CALL_TIMEOUT = 5.0

# The failures the tests provoke on purpose would otherwise print tracebacks between the dots.
logging.getLogger("clipper_container").setLevel(logging.CRITICAL)


def free_port() -> int:
    """A port that was free a moment ago (for processes that need a port number up front)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class ContainerTestCase(unittest.TestCase):
    """Starts containers on free ports and opens channels to them; all are closed after the test."""

    def serve(self, predict, input_type=InputType.DOUBLES, config=None, **options):
        """Starts predict in a container (config defaults to model m:7 of input_type on a free
        port) and returns (container, ModelContainer stub)."""
        config = config or ContainerConfig(model_name="m", model_version="7",
                                           input_type=input_type, port=0)
        container = start(predict, config, **options)

        def stop():
            container.stop(0).wait(5)
            container.close()
        self.addCleanup(stop)
        return container, container_pb2_grpc.ModelContainerStub(self.channel(container.port))

    def channel(self, port: int) -> grpc.Channel:
        channel = grpc.insecure_channel("127.0.0.1:%d" % port)
        self.addCleanup(channel.close)
        return channel

    def health(self, port: int):
        return health_pb2_grpc.HealthStub(self.channel(port))

    def assertStatus(self, call, code, message_part=""):
        """Asserts call() fails with code and a message containing message_part."""
        with self.assertRaises(grpc.RpcError) as raised:
            call()
        self.assertEqual(raised.exception.code(), code, raised.exception.details())
        self.assertIn(message_part, raised.exception.details())
        return raised.exception

    def run_example(self, name, **env):
        """Starts examples/models/<name>/run and waits until its health check says SERVING."""
        return self.run_script(os.path.join(MODELS_DIR, name, "run"), name, **env)

    def run_script(self, script, name, **env):
        """Starts a run script as the process launcher does (CLIPPER_* plus env) and waits until
        its health check says SERVING; returns (process, port)."""
        port = free_port()
        process = subprocess.Popen(
            [script],
            env=dict(os.environ, CLIPPER_MODEL_NAME=name, CLIPPER_MODEL_VERSION="1",
                     CLIPPER_INPUT_TYPE="doubles", CLIPPER_PORT=str(port), **env),
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self.addCleanup(process.wait, 10)
        self.addCleanup(lambda: process.poll() is None and process.kill())
        self.addCleanup(process.stderr.close)
        deadline = time.monotonic() + 30
        while not _listening(port):
            if process.poll() is not None or time.monotonic() > deadline:
                self.fail("%s did not start: %s" % (name, process.stderr.read().decode()))
            time.sleep(0.05)
        with grpc.insecure_channel("127.0.0.1:%d" % port) as channel:
            answer = health_pb2_grpc.HealthStub(channel).Check(
                health_pb2.HealthCheckRequest(), timeout=CALL_TIMEOUT)
        self.assertEqual(answer.status, health_pb2.HealthCheckResponse.SERVING)
        return process, port

    def predict(self, port, inputs):
        """The outputs for a doubles batch, over a channel closed afterwards (an idle Python
        client does not answer the server's GOAWAY, which would hold a graceful stop)."""
        with grpc.insecure_channel("127.0.0.1:%d" % port) as channel:
            stub = container_pb2_grpc.ModelContainerStub(channel)
            response = stub.Predict(encode(InputType.DOUBLES, inputs), timeout=CALL_TIMEOUT)
            return list(response.outputs)


def _listening(port):
    """True once something accepts TCP connections on port; polled so that the gRPC channel is
    only opened then (a channel that failed to connect backs off for seconds before retrying)."""
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        return True
    except OSError:
        return False


__all__ = ["ContainerTestCase", "HAVE_NUMPY", "CALL_TIMEOUT", "MODELS_DIR", "REPO_DIR",
           "RUNTIMES_DIR", "free_port", "health_pb2", "grpc"]


def skip_without(module, package):
    """Skips a test whose framework is not installed, saying which Debian package brings it."""
    return unittest.skipIf(importlib.util.find_spec(module) is None,
                           "skipping: %s not installed (apt-get install %s)" % (module, package))


SKIP_NO_SKLEARN = skip_without("sklearn", "python3-sklearn")
SKIP_NO_XGBOOST = skip_without("xgboost", "python3-xgboost")
SKIP_NO_TORCH = skip_without("torch", "python3-torch")
SKIP_NO_CLOUDPICKLE = skip_without("cloudpickle", "python3-cloudpickle")
