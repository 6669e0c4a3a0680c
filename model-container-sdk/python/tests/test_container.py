"""A real container on a free port, called over a real gRPC channel, as the query frontend does."""

import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest

import support
from support import CALL_TIMEOUT, SDK_DIR, ContainerTestCase, grpc, health_pb2
from clipper_container import ContainerConfig, InputType, SampleInputError, start
from clipper_container.codec import encode
from clipper_container.proto import container_pb2, container_pb2_grpc


def total(inputs):
    return [str(float(sum(x))) for x in inputs]


class PredictTest(ContainerTestCase):

    def test_answers_one_sum_per_input_of_a_batch_in_order(self):
        _, stub = self.serve(total)
        request = encode(InputType.DOUBLES, [[1, 2, 3], [0.5], [], [-1, 1, 10]])
        response = stub.Predict(request, timeout=CALL_TIMEOUT)
        self.assertEqual(list(response.outputs), ["6.0", "0.5", "0.0", "10.0"])

    def test_reports_how_long_predict_took_as_compute_nanos(self):
        def slow(inputs):
            time.sleep(0.03)
            return total(inputs)

        for predict, at_least in [(total, 1), (slow, 30_000_000)]:
            with self.subTest(predict=predict.__name__):
                _, stub = self.serve(predict)
                response = stub.Predict(encode(InputType.DOUBLES, [[1, 2]]), timeout=CALL_TIMEOUT)
                self.assertEqual(list(response.outputs), ["3.0"])
                self.assertGreaterEqual(response.compute_nanos, at_least)
                self.assertLess(response.compute_nanos, 5_000_000_000)

    @unittest.skipUnless(support.HAVE_NUMPY, "numpy not installed")
    def test_gives_numeric_inputs_as_numpy_arrays_when_numpy_is_there(self):
        seen = []
        _, stub = self.serve(lambda inputs: seen.extend(inputs) or ["x"] * len(inputs))
        stub.Predict(encode(InputType.DOUBLES, [[1, 2], [3]]), timeout=CALL_TIMEOUT)
        self.assertEqual([type(x).__name__ for x in seen], ["ndarray", "ndarray"])
        self.assertEqual([x.dtype.name for x in seen], ["float64", "float64"])
        self.assertEqual([x.tolist() for x in seen], [[1.0, 2.0], [3.0]])

    def test_gives_numeric_inputs_as_lists_without_numpy(self):
        seen = []
        _, stub = self.serve(lambda inputs: seen.extend(inputs) or ["x"] * len(inputs),
                             as_numpy=False)
        stub.Predict(encode(InputType.DOUBLES, [[1, 2], [3]]), timeout=CALL_TIMEOUT)
        self.assertEqual(seen, [[1.0, 2.0], [3.0]])
        self.assertTrue(all(type(x) is list for x in seen))

    def test_serves_every_input_type(self):
        cases = [
            (InputType.DOUBLES, [[1.25, -2.5], [1e300]], [[1.25, -2.5], [1e300]], float),
            (InputType.FLOATS, [[1.5, -0.25], [3.0]], [[1.5, -0.25], [3.0]], float),
            (InputType.INTS, [[1, -2, 2147483647], [-2147483648]],
             [[1, -2, 2147483647], [-2147483648]], int),
            (InputType.STRINGS, ["héllo", ""], ["héllo", ""], str),
            (InputType.BYTES, [b"\x00\xff", b"abc"], [b"\x00\xff", b"abc"], bytes),
        ]
        for input_type, sent, expected, element_type in cases:
            with self.subTest(input_type=input_type):
                seen = []
                _, stub = self.serve(lambda inputs: seen.extend(inputs) or ["ok"] * len(inputs),
                                     input_type=input_type, as_numpy=False)
                response = stub.Predict(encode(input_type, sent), timeout=CALL_TIMEOUT)
                self.assertEqual(list(response.outputs), ["ok"] * len(sent))
                self.assertEqual(seen, expected)
                flat = [v for x in seen for v in x] if element_type in (int, float) else seen
                self.assertTrue(all(type(v) is element_type for v in flat), seen)

    def test_a_raising_predict_answers_internal_and_the_next_call_works(self):
        calls = []

        def flaky(inputs):
            calls.append(inputs)
            if len(calls) == 1:
                raise ValueError("boom on the first batch")
            return total(inputs)

        _, stub = self.serve(flaky)
        request = encode(InputType.DOUBLES, [[1, 1]])
        self.assertStatus(lambda: stub.Predict(request, timeout=CALL_TIMEOUT),
                          grpc.StatusCode.INTERNAL, "ValueError: boom on the first batch")
        self.assertEqual(list(stub.Predict(request, timeout=CALL_TIMEOUT).outputs), ["2.0"])

    def test_answers_internal_when_predict_returns_the_wrong_number_of_outputs(self):
        _, stub = self.serve(lambda inputs: ["1"])
        self.assertStatus(
            lambda: stub.Predict(encode(InputType.DOUBLES, [[1], [2]]), timeout=CALL_TIMEOUT),
            grpc.StatusCode.INTERNAL, "returned 1 outputs for 2 inputs")

    def test_answers_internal_when_predict_returns_something_other_than_strings(self):
        for bad, message in [(lambda inputs: [1.0] * len(inputs), "Output 0 is a float"),
                             (lambda inputs: "1", "returned str, not a list"),
                             (lambda inputs: None, "returned NoneType, not a list")]:
            with self.subTest(message=message):
                _, stub = self.serve(bad)
                self.assertStatus(
                    lambda: stub.Predict(encode(InputType.DOUBLES, [[1]]), timeout=CALL_TIMEOUT),
                    grpc.StatusCode.INTERNAL, message)

    def test_rejects_inputs_of_another_type_with_invalid_argument(self):
        _, stub = self.serve(total)
        self.assertStatus(
            lambda: stub.Predict(encode(InputType.STRINGS, ["1"]), timeout=CALL_TIMEOUT),
            grpc.StatusCode.INVALID_ARGUMENT, "takes doubles inputs, not strings")

    def test_rejects_a_request_without_inputs_or_with_an_empty_batch(self):
        _, stub = self.serve(total)
        for request, message in [(container_pb2.PredictRequest(), "carries no inputs"),
                                 (encode(InputType.DOUBLES, []), "batch is empty")]:
            with self.subTest(message=message):
                self.assertStatus(lambda: stub.Predict(request, timeout=CALL_TIMEOUT),
                                  grpc.StatusCode.INVALID_ARGUMENT, message)

    def test_rejects_packed_lengths_that_exceed_the_values(self):
        _, stub = self.serve(total)
        request = container_pb2.PredictRequest(
            doubles=container_pb2.DoubleBatch(values=[1, 2], lengths=[2, 1]))
        self.assertStatus(lambda: stub.Predict(request, timeout=CALL_TIMEOUT),
                          grpc.StatusCode.INVALID_ARGUMENT, "exceed the 2 values")


class OneBatchAtATimeTest(ContainerTestCase):
    """predict runs on one model thread; the gRPC threads receive calls and answer health."""

    def blocking(self, seen=None):
        """A predict that blocks on the batch whose first input starts with 1 until release is
        set, recording each batch's inputs in seen; returns (predict, started, release)."""
        started, release = threading.Event(), threading.Event()
        self.addCleanup(release.set)

        def predict(inputs):
            if seen is not None:
                seen.append([list(x) for x in inputs])
            if inputs[0][0] == 1:
                started.set()
                release.wait(5)
            return total(inputs)

        return predict, started, release

    def test_two_batches_sent_at_once_are_predicted_one_after_the_other(self):
        lock = threading.Lock()
        inside, most = [0], [0]

        def counting(inputs):
            with lock:
                inside[0] += 1
                most[0] = max(most[0], inside[0])
            time.sleep(0.05)
            with lock:
                inside[0] -= 1
            return total(inputs)

        _, stub = self.serve(counting)
        calls = [stub.Predict.future(encode(InputType.DOUBLES, [[n, 1]]), timeout=CALL_TIMEOUT)
                 for n in (1, 2)]
        self.assertEqual([list(call.result().outputs) for call in calls], [["2.0"], ["3.0"]])
        self.assertEqual(most[0], 1)
        # The one that waited says so: at least the other's 50 ms, apart from its own time.
        waits = sorted(call.result().queue_nanos for call in calls)
        self.assertGreaterEqual(waits[1], 40_000_000)

    def test_answers_health_and_metadata_while_a_batch_is_predicted_and_another_waits(self):
        predict, started, release = self.blocking()
        container, stub = self.serve(predict)
        running = stub.Predict.future(encode(InputType.DOUBLES, [[1]]), timeout=CALL_TIMEOUT)
        self.assertTrue(started.wait(5))
        waiting = stub.Predict.future(encode(InputType.DOUBLES, [[2]]), timeout=CALL_TIMEOUT)
        answer = self.health(container.port).Check(health_pb2.HealthCheckRequest(), timeout=1)
        self.assertEqual(answer.status, health_pb2.HealthCheckResponse.SERVING)
        metadata = stub.Metadata(container_pb2.MetadataRequest(), timeout=1)
        self.assertEqual(metadata.model_name, "m")
        self.assertFalse(running.done() or waiting.done())
        release.set()
        self.assertEqual(list(running.result().outputs), ["1.0"])
        self.assertEqual(list(waiting.result().outputs), ["2.0"])

    def test_does_not_predict_a_batch_whose_deadline_passed_while_it_waited(self):
        seen = []
        predict, started, release = self.blocking(seen)
        _, stub = self.serve(predict, as_numpy=False)
        running = stub.Predict.future(encode(InputType.DOUBLES, [[1]]), timeout=CALL_TIMEOUT)
        self.assertTrue(started.wait(5))
        self.assertStatus(lambda: stub.Predict(encode(InputType.DOUBLES, [[2]]), timeout=0.05),
                          grpc.StatusCode.DEADLINE_EXCEEDED)
        time.sleep(0.25)  # the server notices the end of the call a moment after the client
        release.set()
        self.assertEqual(list(running.result().outputs), ["1.0"])
        # The model thread has passed the expired batch's turn once it answers a later one.
        later = stub.Predict(encode(InputType.DOUBLES, [[3]]), timeout=CALL_TIMEOUT)
        self.assertEqual(list(later.outputs), ["3.0"])
        self.assertEqual(seen, [[[1.0]], [[3.0]]])

    def test_refuses_a_grpc_pool_of_one_thread(self):
        with self.assertRaisesRegex(ValueError, "max_workers must be at least 2"):
            self.serve(total, max_workers=1)


class MetadataAndHealthTest(ContainerTestCase):

    def test_metadata_names_the_model_version_and_input_type(self):
        _, stub = self.serve(total, input_type=InputType.INTS)
        metadata = stub.Metadata(container_pb2.MetadataRequest(), timeout=CALL_TIMEOUT)
        self.assertEqual((metadata.model_name, metadata.model_version, metadata.input_type),
                         ("m", "7", container_pb2.INTS))

    def test_health_answers_serving_for_the_server_and_the_model_service(self):
        container, _ = self.serve(total)
        health = self.health(container.port)
        for service in ["", "clipper.container.v1.ModelContainer"]:
            with self.subTest(service=service):
                answer = health.Check(health_pb2.HealthCheckRequest(service=service),
                                      timeout=CALL_TIMEOUT)
                self.assertEqual(answer.status, health_pb2.HealthCheckResponse.SERVING)
        self.assertStatus(
            lambda: health.Check(health_pb2.HealthCheckRequest(service="nope"),
                                 timeout=CALL_TIMEOUT),
            grpc.StatusCode.NOT_FOUND)

    def test_watchers_see_not_serving_when_the_container_stops(self):
        container, _ = self.serve(total)
        updates = self.health(container.port).Watch(health_pb2.HealthCheckRequest(service=""),
                                                    timeout=CALL_TIMEOUT)
        self.assertEqual(next(updates).status, health_pb2.HealthCheckResponse.SERVING)
        stopped = container.stop(grace=0.5)
        self.assertEqual(next(updates).status, health_pb2.HealthCheckResponse.NOT_SERVING)
        self.assertTrue(stopped.wait(5))

    def test_lets_a_running_batch_finish_when_stopped_with_a_grace_period(self):
        started, release = threading.Event(), threading.Event()

        def slow(inputs):
            started.set()
            release.wait(5)
            return ["done"] * len(inputs)

        container, stub = self.serve(slow)
        call = stub.Predict.future(encode(InputType.DOUBLES, [[1]]), timeout=CALL_TIMEOUT)
        self.assertTrue(started.wait(5))
        stopped = container.stop(grace=3)
        release.set()
        self.assertEqual(list(call.result().outputs), ["done"])
        self.assertTrue(stopped.wait(5))

    def test_predicts_a_waiting_batch_too_when_stopped_with_a_grace_period(self):
        started, release = threading.Event(), threading.Event()
        self.addCleanup(release.set)

        def slow(inputs):
            started.set()
            release.wait(5)
            return total(inputs)

        container, stub = self.serve(slow)
        running = stub.Predict.future(encode(InputType.DOUBLES, [[1]]), timeout=CALL_TIMEOUT)
        self.assertTrue(started.wait(5))
        waiting = stub.Predict.future(encode(InputType.DOUBLES, [[2]]), timeout=CALL_TIMEOUT)
        time.sleep(0.2)  # lets the second batch reach the container before it stops
        stopped = container.stop(grace=3)
        release.set()
        self.assertEqual(list(running.result().outputs), ["1.0"])
        self.assertEqual(list(waiting.result().outputs), ["2.0"])
        self.assertTrue(stopped.wait(5))


def listening(port):
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        return True
    except OSError:
        return False


class SampleInputTest(ContainerTestCase):
    """CLIPPER_SAMPLE_INPUT: predicted once before the container serves, as in the Java SDK."""

    def start_with_sample(self, predict, sample, input_type=InputType.DOUBLES, port=0, **options):
        """start() with sample_input; returns (container, stub) once it serves."""
        config = ContainerConfig(model_name="m", model_version="1", input_type=input_type,
                                 port=port, sample_input=sample)
        container = start(predict, config, **options)
        self.addCleanup(lambda: container.stop(0).wait(5))
        return container, container_pb2_grpc.ModelContainerStub(self.channel(container.port))

    def test_predicts_the_sample_on_the_model_thread_before_serving(self):
        port = support.free_port()
        calls = []

        def predict(inputs):
            calls.append(([list(x) for x in inputs], listening(port),
                          threading.current_thread().name))
            return total(inputs)

        _, stub = self.start_with_sample(predict, "1,2.5,-3", port=port)
        self.assertEqual(len(calls), 1)  # before any query
        self.assertEqual(calls[0][:2], ([[1.0, 2.5, -3.0]], False))  # nothing listened yet
        response = stub.Predict(encode(InputType.DOUBLES, [[4, 5]]), timeout=CALL_TIMEOUT)
        self.assertEqual(list(response.outputs), ["9.0"])
        self.assertEqual(calls[1][:2], ([[4.0, 5.0]], True))
        self.assertEqual(calls[0][2], calls[1][2])  # the one model thread predicts both
        self.assertTrue(calls[0][2].startswith("model"), calls[0][2])

    def test_gives_predict_the_sample_in_the_form_of_an_input_of_a_request(self):
        cases = [(InputType.DOUBLES, "1.5,-2", [1.5, -2]),
                 (InputType.FLOATS, "0.1,3", [0.1, 3]),  # float32 in both
                 (InputType.INTS, "7,-8", [7, -8]),
                 (InputType.STRINGS, "héllo, world", "héllo, world"),
                 (InputType.BYTES, "AP8=", b"\x00\xff")]
        numpy_options = [False, True] if support.HAVE_NUMPY else [False]
        for input_type, sample, same_input in cases:
            for as_numpy in numpy_options:
                with self.subTest(input_type=input_type, as_numpy=as_numpy):
                    seen = []
                    _, stub = self.start_with_sample(
                        lambda inputs: seen.extend(inputs) or ["ok"] * len(inputs), sample,
                        input_type, as_numpy=as_numpy)
                    stub.Predict(encode(input_type, [same_input]), timeout=CALL_TIMEOUT)
                    warm, queried = seen
                    self.assertIs(type(warm), type(queried))
                    if hasattr(queried, "dtype"):
                        self.assertEqual(warm.dtype, queried.dtype)
                        self.assertEqual(warm.tolist(), queried.tolist())
                    else:
                        self.assertEqual(warm, queried)
                        if isinstance(queried, list):
                            self.assertEqual([type(v) for v in warm], [type(v) for v in queried])

    def test_a_model_that_fails_on_its_sample_does_not_start_and_says_why(self):
        def needs_four(inputs):
            if len(inputs[0]) != 4:
                raise ValueError("X has %d features, but the model is expecting 4\nat line 12"
                                 % len(inputs[0]))
            return total(inputs)

        cases = [
            (needs_four, "1,2", InputType.DOUBLES,
             "ValueError: X has 2 features, but the model is expecting 4"),
            (lambda inputs: [1.0], "1", InputType.DOUBLES, "Output 0 is a float, not a str"),
            (lambda inputs: ["a", "b"], "1", InputType.DOUBLES,
             "The model returned 2 outputs for 1 inputs"),
            (lambda inputs: None, "1", InputType.DOUBLES, "The model returned NoneType, not a list of strings"),
            (total, "1,x", InputType.DOUBLES,
             "CLIPPER_SAMPLE_INPUT is not doubles separated by commas: '1,x'"),
            (total, "2147483648", InputType.INTS,
             "Not an input of type ints: Value out of range: 2147483648"),
        ]
        for predict, sample, input_type, reason in cases:
            with self.subTest(reason=reason):
                port = support.free_port()
                with self.assertRaises(SampleInputError) as raised:
                    self.start_with_sample(predict, sample, input_type, port=port)
                self.assertEqual(str(raised.exception),
                                 "The model failed on its sample input: " + reason)
                self.assertFalse(listening(port))

    def test_without_a_sample_predict_is_first_called_by_a_query(self):
        calls = []
        _, stub = self.serve(lambda inputs: calls.append(inputs) or total(inputs))
        self.assertEqual(calls, [])
        stub.Predict(encode(InputType.DOUBLES, [[1]]), timeout=CALL_TIMEOUT)
        self.assertEqual(len(calls), 1)

    def test_serve_exits_1_with_the_one_line_when_the_model_fails_on_its_sample(self):
        with tempfile.TemporaryDirectory() as folder:
            model = os.path.join(folder, "model.py")
            with open(model, "w") as source:
                source.write("from clipper_container import serve\n"
                             "def predict(inputs):\n"
                             "    raise KeyError('weights')\n"
                             "serve(predict)\n")
            finished = subprocess.run(
                [sys.executable, model], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                env=dict(os.environ, PYTHONPATH=SDK_DIR, CLIPPER_PORT="0",
                         CLIPPER_SAMPLE_INPUT="1,2"), timeout=30)
        stderr = finished.stderr.decode()
        self.assertEqual(finished.returncode, 1, stderr)
        self.assertEqual(stderr.strip().splitlines(),
                         ["The model failed on its sample input: KeyError: 'weights'"])


if __name__ == "__main__":
    unittest.main()
