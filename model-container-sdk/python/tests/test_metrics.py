"""A real container serves its Prometheus metrics on CLIPPER_METRICS_PORT, as the Java SDK does."""

import unittest
import urllib.request

import support
from support import CALL_TIMEOUT, ContainerTestCase, grpc
from clipper_container import ContainerConfig, InputType
from clipper_container.codec import encode


def echo(inputs):
    if "boom" in inputs:
        raise ValueError("broken model")
    return list(inputs)


class MetricsTest(ContainerTestCase):

    def test_serves_counts_and_histograms_of_the_batches_it_predicted(self):
        port = support.free_port()
        _, stub = self.serve(echo, config=ContainerConfig(
            model_name="m", model_version="3", input_type=InputType.STRINGS, port=0,
            metrics_port=port))
        stub.Predict(encode(InputType.STRINGS, ["a"]), timeout=CALL_TIMEOUT)
        stub.Predict(encode(InputType.STRINGS, ["a", "b", "c"]), timeout=CALL_TIMEOUT)
        self.assertStatus(lambda: stub.Predict(encode(InputType.STRINGS, ["boom", "x"]),
                                               timeout=CALL_TIMEOUT), grpc.StatusCode.INTERNAL)
        self.assertStatus(lambda: stub.Predict(encode(InputType.DOUBLES, [[1]]),
                                               timeout=CALL_TIMEOUT),
                          grpc.StatusCode.INVALID_ARGUMENT)

        with urllib.request.urlopen("http://127.0.0.1:%d/metrics" % port, timeout=5) as answer:
            self.assertTrue(answer.headers["Content-Type"].startswith("text/plain; version=0.0.4"))
            lines = answer.read().decode().splitlines()

        labels = 'model="m",version="3"'
        for line in [
                "clipper_container_predictions_total{%s} 4.0" % labels,
                'clipper_container_batches_total{%s,outcome="ok"} 2.0' % labels,
                'clipper_container_batches_total{%s,outcome="error"} 2.0' % labels,
                "# TYPE clipper_container_predict_seconds histogram",
                "clipper_container_predict_seconds_count{%s} 3" % labels,
                'clipper_container_predict_seconds_bucket{%s,le="10.0"} 3' % labels,
                'clipper_container_predict_seconds_bucket{%s,le="+Inf"} 3' % labels,
                'clipper_container_batch_size_bucket{%s,le="1.0"} 1' % labels,
                'clipper_container_batch_size_bucket{%s,le="2.0"} 2' % labels,
                'clipper_container_batch_size_bucket{%s,le="4.0"} 3' % labels,
                'clipper_container_batch_size_bucket{%s,le="1024.0"} 3' % labels,
                "clipper_container_batch_size_sum{%s} 6.0" % labels]:
            self.assertIn(line, lines)
        buckets = [line.split('le="')[1].split('"')[0] for line in lines
                   if line.startswith("clipper_container_predict_seconds_bucket")]
        self.assertEqual(buckets, ["0.0005", "0.001", "0.0025", "0.005", "0.01", "0.025", "0.05",
                                   "0.1", "0.25", "0.5", "1.0", "2.5", "5.0", "10.0", "+Inf"])

    def test_reads_the_metrics_port_and_serves_none_by_default(self):
        self.assertEqual(ContainerConfig.from_env({"CLIPPER_METRICS_PORT": "9464"}).metrics_port,
                         9464)
        self.assertEqual(ContainerConfig.from_env({}).metrics_port, 0)


if __name__ == "__main__":
    unittest.main()
