"""The container's Prometheus endpoint: GET /metrics on CLIPPER_METRICS_PORT.

The same series as the Java SDK's ai.clipper.sdk.internal.ContainerMetrics, in the Prometheus
text format, served by http.server from a daemon thread (Debian has no prometheus_client here).
"""

import http.server
import threading
from typing import Dict, Tuple

PREDICT_SECONDS_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1,
                           2.5, 5, 10)
BATCH_SIZE_BUCKETS = (1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024)
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


class Histogram:
    """Cumulative buckets, count and sum, as a Prometheus classic histogram."""

    def __init__(self, bounds: Tuple[float, ...]):
        self.bounds = bounds
        self.counts = [0] * len(bounds)
        self.count = 0
        self.sum = 0.0

    def observe(self, value: float) -> None:
        for index, bound in enumerate(self.bounds):
            if value <= bound:
                self.counts[index] += 1
        self.count += 1
        self.sum += value

    def lines(self, name: str, labels: str):
        for bound, count in zip(self.bounds, self.counts):
            yield '%s_bucket{%s,le="%s"} %d' % (name, labels, float(bound), count)
        yield '%s_bucket{%s,le="+Inf"} %d' % (name, labels, self.count)
        yield "%s_count{%s} %d" % (name, labels, self.count)
        yield "%s_sum{%s} %r" % (name, labels, self.sum)


class ContainerMetrics:
    """Counts the batches of one model version and serves them on a port."""

    def __init__(self, model_name: str, model_version: str):
        self._labels = 'model="%s",version="%s"' % (_escape(model_name), _escape(model_version))
        self._lock = threading.Lock()
        self._predictions = 0
        self._batches: Dict[str, int] = {"error": 0, "ok": 0}
        self._predict_seconds = Histogram(PREDICT_SECONDS_BUCKETS)
        self._batch_size = Histogram(BATCH_SIZE_BUCKETS)
        self._server = None

    def model_ran(self, inputs: int, seconds: float, answered: bool) -> None:
        """Counts a batch the model predicted, answered or not."""
        with self._lock:
            self._predict_seconds.observe(seconds)
            self._batch_size.observe(inputs)
            if answered:
                self._predictions += inputs
            self._batches["ok" if answered else "error"] += 1

    def refused(self) -> None:
        """Counts a batch refused before the model saw it (empty, or of the wrong input type)."""
        with self._lock:
            self._batches["error"] += 1

    def text(self) -> str:
        """Every series in the Prometheus text format."""
        name = "clipper_container_"
        with self._lock:
            lines = [
                "# HELP %spredictions_total Outputs answered" % name,
                "# TYPE %spredictions_total counter" % name,
                "%spredictions_total{%s} %s" % (name, self._labels, float(self._predictions)),
                "# HELP %sbatches_total Batches answered, by outcome" % name,
                "# TYPE %sbatches_total counter" % name,
            ]
            lines += ['%sbatches_total{%s,outcome="%s"} %s' % (name, self._labels, outcome,
                                                              float(count))
                      for outcome, count in self._batches.items()]
            lines += ["# HELP %spredict_seconds The model's own time per batch" % name,
                      "# TYPE %spredict_seconds histogram" % name]
            lines += self._predict_seconds.lines(name + "predict_seconds", self._labels)
            lines += ["# HELP %sbatch_size Inputs per batch" % name,
                      "# TYPE %sbatch_size histogram" % name]
            lines += self._batch_size.lines(name + "batch_size", self._labels)
        return "\n".join(lines) + "\n"

    def serve(self, port: int) -> None:
        """Serves text() at http://0.0.0.0:<port>/metrics from a daemon thread.

        Raises OSError when the port cannot be bound.
        """
        metrics = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                if self.path.split("?")[0] != "/metrics":
                    self.send_error(404)
                    return
                body = metrics.text().encode("utf-8")
                self.send_response(200)
                self.send_header("Content-Type", CONTENT_TYPE)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):  # a scrape every few seconds is no news
                pass

        self._server = http.server.ThreadingHTTPServer(("0.0.0.0", port), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, name="metrics", daemon=True).start()

    def close(self) -> None:
        """Stops serving (when serving)."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
