"""A real container sends a predict span per sampled traceparent to a real HTTP endpoint standing
in for the collector (Zipkin v2 JSON or OTLP/HTTP JSON), as the Java SDK does."""

import http.server
import json
import threading
import time
import unittest

from support import CALL_TIMEOUT, ContainerTestCase, grpc
from clipper_container import ContainerConfig, InputType
from clipper_container.codec import encode
from clipper_container.tracing import OTLP, ZIPKIN, TracingConfig, sampled_parent

TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"
OTHER_TRACE = "0af7651916cd43dd8448eb211c80319c"


class Collector:
    """An HTTP server on a free port that keeps every POST as (path, content type, JSON body)."""

    def __init__(self):
        posts = self.posts = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                posts.append((self.path, self.headers["Content-Type"], json.loads(body)))
                self.send_response(202)
                self.end_headers()

            def log_message(self, *args):
                pass

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def url(self, path):
        return "http://127.0.0.1:%d%s" % (self._server.server_address[1], path)

    def close(self):
        self._server.shutdown()
        self._server.server_close()


def echo(inputs):
    if "boom" in inputs:
        raise ValueError("broken model")
    return list(inputs)


class TracingTest(ContainerTestCase):

    def setUp(self):
        self.collector = Collector()
        self.addCleanup(self.collector.close)

    def serve_traced(self, exporter=ZIPKIN, path="/api/v2/spans"):
        config = ContainerConfig(model_name="m", model_version="7", input_type=InputType.STRINGS,
                                 port=0, tracing=TracingConfig(exporter, self.collector.url(path),
                                                               "clipper-model-m"))
        return self.serve(echo, config=config)

    def predict(self, stub, inputs, *traceparents):
        return stub.Predict(encode(InputType.STRINGS, inputs), timeout=CALL_TIMEOUT,
                            metadata=[("traceparent", value) for value in traceparents])

    def zipkin_spans(self, container):
        """The spans received once the container has sent what it had (close flushes)."""
        container.stop(0).wait(5)
        container.close()
        return [span for _, _, body in self.collector.posts for span in body]

    def test_sends_one_predict_span_per_sampled_traceparent_as_a_child_of_it(self):
        container, stub = self.serve_traced()
        self.predict(stub, ["a", "b"], "00-%s-00f067aa0ba902b7-01" % TRACE,
                     "00-%s-b7ad6b7169203331-01" % OTHER_TRACE)

        spans = self.zipkin_spans(container)
        self.assertEqual(sorted((s["traceId"], s["parentId"]) for s in spans),
                         sorted([(TRACE, "00f067aa0ba902b7"), (OTHER_TRACE, "b7ad6b7169203331")]))
        for span in spans:
            self.assertEqual(span["name"], "predict")
            self.assertEqual(span["kind"], "SERVER")
            self.assertRegex(span["id"], "^[0-9a-f]{16}$")
            self.assertGreater(span["duration"], 0)
            self.assertAlmostEqual(span["timestamp"] / 1e6, time.time(), delta=60)
            self.assertEqual(span["localEndpoint"], {"serviceName": "clipper-model-m"})
            self.assertEqual(span["tags"], {"clipper.model": "m", "clipper.model_version": "7",
                                            "clipper.batch_size": "2"})
        self.assertEqual({path for path, _, _ in self.collector.posts}, {"/api/v2/spans"})

    def test_sends_no_span_for_an_unsampled_or_malformed_traceparent_and_still_predicts(self):
        container, stub = self.serve_traced()
        response = self.predict(stub, ["a"], "00-%s-00f067aa0ba902b7-00" % TRACE, "garbage",
                                "00-%s-0000000000000000-01" % TRACE,
                                "00-%s-00f067aa0ba902b7-01" % TRACE[1:])
        self.assertEqual(list(response.outputs), ["a"])
        self.assertEqual(list(self.predict(stub, ["b"]).outputs), ["b"])

        self.assertEqual(self.zipkin_spans(container), [])

    def test_marks_the_predict_span_of_a_failed_batch_as_an_error(self):
        container, stub = self.serve_traced()
        self.assertStatus(lambda: self.predict(stub, ["boom"], "00-%s-00f067aa0ba902b7-01" % TRACE),
                          grpc.StatusCode.INTERNAL, "broken model")

        [span] = self.zipkin_spans(container)
        self.assertEqual(span["tags"]["otel.status_code"], "ERROR")
        self.assertIn("broken model", span["tags"]["error"])

    def test_sends_spans_as_otlp_json_to_the_traces_path(self):
        container, stub = self.serve_traced(OTLP, "/v1/traces")
        self.predict(stub, ["a"], "00-%s-00f067aa0ba902b7-01" % TRACE)
        container.stop(0).wait(5)
        container.close()

        [(path, content_type, body)] = self.collector.posts
        self.assertEqual(path, "/v1/traces")
        self.assertEqual(content_type, "application/json")
        [resource_spans] = body["resourceSpans"]
        self.assertIn({"key": "service.name", "value": {"stringValue": "clipper-model-m"}},
                      resource_spans["resource"]["attributes"])
        [span] = resource_spans["scopeSpans"][0]["spans"]
        self.assertEqual((span["traceId"], span["parentSpanId"], span["name"], span["kind"]),
                         (TRACE, "00f067aa0ba902b7", "predict", 2))
        self.assertIn({"key": "clipper.batch_size", "value": {"intValue": "1"}},
                      span["attributes"])
        self.assertLess(int(span["startTimeUnixNano"]), int(span["endTimeUnixNano"]))

    def test_sends_spans_in_the_background_without_waiting_for_close(self):
        _, stub = self.serve_traced()
        self.predict(stub, ["a"], "00-%s-00f067aa0ba902b7-01" % TRACE)
        deadline = time.monotonic() + 10
        while not self.collector.posts and time.monotonic() < deadline:
            time.sleep(0.05)
        self.assertEqual(len(self.collector.posts), 1)


class TracingConfigTest(unittest.TestCase):

    def test_traces_nothing_without_an_exporter_or_endpoint(self):
        self.assertIsNone(TracingConfig.from_env({}, "m"))
        self.assertIsNone(TracingConfig.from_env({
            "OTEL_TRACES_EXPORTER": "none",
            "OTEL_EXPORTER_ZIPKIN_ENDPOINT": "http://zipkin:9411/api/v2/spans"}, "m"))

    def test_sends_to_the_endpoint_that_is_set(self):
        self.assertEqual(
            TracingConfig.from_env({"OTEL_EXPORTER_ZIPKIN_ENDPOINT": "http://z:9411/api/v2/spans"},
                                   "sum"),
            TracingConfig(ZIPKIN, "http://z:9411/api/v2/spans", "clipper-model-sum"))
        self.assertEqual(
            TracingConfig.from_env({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://c:4318/"}, "m").endpoint,
            "http://c:4318/v1/traces")
        self.assertEqual(TracingConfig.from_env({
            "OTEL_EXPORTER_OTLP_ENDPOINT": "http://c:4318",
            "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://t:4318/custom"}, "m").endpoint,
            "http://t:4318/custom")

    def test_named_exporter_without_endpoint_uses_the_opentelemetry_default(self):
        self.assertEqual(
            TracingConfig.from_env({"OTEL_TRACES_EXPORTER": "OTLP", "OTEL_SERVICE_NAME": "d"}, "m"),
            TracingConfig(OTLP, "http://localhost:4318/v1/traces", "d"))

    def test_refuses_an_unknown_exporter(self):
        with self.assertRaisesRegex(ValueError, "jaeger"):
            TracingConfig.from_env({"OTEL_TRACES_EXPORTER": "jaeger"}, "m")

    def test_reads_only_sampled_well_formed_traceparents(self):
        self.assertEqual(sampled_parent("00-%s-00f067aa0ba902b7-01" % TRACE),
                         (TRACE, "00f067aa0ba902b7"))
        self.assertEqual(sampled_parent("01-%s-00f067aa0ba902b7-03-more" % TRACE),
                         (TRACE, "00f067aa0ba902b7"))
        for bad in ["00-%s-00f067aa0ba902b7-00" % TRACE, "00-%s-00f067aa0ba902b7-01-x" % TRACE,
                    "ff-%s-00f067aa0ba902b7-01" % TRACE, "00-%s-00f067aa0ba902b7-01" % ("0" * 32),
                    "00-%s-00F067AA0BA902B7-01" % TRACE, "", "garbage"]:
            with self.subTest(traceparent=bad):
                self.assertIsNone(sampled_parent(bad))


if __name__ == "__main__":
    unittest.main()
