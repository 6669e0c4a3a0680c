"""The example models as the process launcher runs them: the run script, CLIPPER_* env, SIGTERM."""

import importlib.util
import os
import signal
import socket
import subprocess
import time
import unittest

import support
from support import CALL_TIMEOUT, REPO_DIR, grpc, health_pb2
from clipper_container import InputType
from clipper_container.codec import encode
from clipper_container.health import health_pb2_grpc
from clipper_container.proto import container_pb2_grpc

MODELS_DIR = os.path.join(REPO_DIR, "examples", "models")


def _listening(port):
    """True once something accepts TCP connections on port; polled so that the gRPC channel is
    only opened then (a channel that failed to connect backs off for seconds before retrying)."""
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        return True
    except OSError:
        return False


def load_model(name):
    spec = importlib.util.spec_from_file_location(
        name.replace("-", "_"), os.path.join(MODELS_DIR, name, "model.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@unittest.skipUnless(os.path.isdir(MODELS_DIR), "examples/models not found")
class ExampleModelsTest(support.ContainerTestCase):

    def run_example(self, name, **env):
        """Starts examples/models/<name>/run and waits until its health check says SERVING."""
        port = support.free_port()
        process = subprocess.Popen(
            [os.path.join(MODELS_DIR, name, "run")],
            env=dict(os.environ, CLIPPER_MODEL_NAME=name, CLIPPER_MODEL_VERSION="1",
                     CLIPPER_INPUT_TYPE="doubles", CLIPPER_PORT=str(port), **env),
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self.addCleanup(process.wait, 10)
        self.addCleanup(lambda: process.poll() is None and process.kill())
        self.addCleanup(process.stderr.close)
        deadline = time.monotonic() + 15
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

    def test_python_sum_answers_shortest_json_sums_and_exits_0_on_sigterm(self):
        process, port = self.run_example("python-sum")
        outputs = self.predict(port, [[1, 2, 3], [1.5, 1.5, 1], [0.1, 0.2], []])
        self.assertEqual(outputs, ["6", "4", "0.30000000000000004", "0"])

        process.send_signal(signal.SIGTERM)
        self.assertEqual(process.wait(timeout=10), 0)
        self.assertIn("Received SIGTERM", process.stderr.read().decode())

    def test_python_noop_answers_0_for_any_input(self):
        _, port = self.run_example("python-noop")
        self.assertEqual(self.predict(port, [[1], [2, 3]]), ["0", "0"])

    def test_python_sum_formats_numbers_as_the_java_example_does(self):
        format_number = load_model("python-sum").format_number
        cases = {6.0: "6", -3.0: "-3", 0.5: "0.5", 1e20: "1e+20", 1e14: "100000000000000",
                 float("nan"): "NaN"}
        for value, expected in cases.items():
            with self.subTest(value=value):
                self.assertEqual(format_number(value), expected)


if __name__ == "__main__":
    unittest.main()
