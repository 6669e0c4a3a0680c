"""Sends finished spans off the model thread, as OpenTelemetry's batch span processor does.

A bounded queue (spans beyond it are dropped, never waited for), one daemon thread that sends
what is queued every second, or sooner once a batch's worth is waiting, and a last send at
close() (also run at interpreter exit). Zipkin v2 JSON, or OTLP/HTTP in its JSON encoding.
"""

import atexit
import json
import logging
import queue
import threading
import urllib.request
from typing import List

from clipper_container.tracing import OTLP, Span, TracingConfig

LOG = logging.getLogger(__name__)

MAX_QUEUE = 2048  # OpenTelemetry's defaults
MAX_BATCH = 512
DELAY_SECONDS = 1.0  # a span shows in the collector about a second after its query
TIMEOUT_SECONDS = 10.0


class SpanExporter:
    """Queues spans with add() and POSTs them in batches from a background thread."""

    def __init__(self, config: TracingConfig):
        self._config = config
        self._queue: "queue.Queue[Span]" = queue.Queue(MAX_QUEUE)
        self._wake = threading.Event()
        self._closing = threading.Event()
        self._thread = threading.Thread(target=self._run, name="span-export", daemon=True)
        self._thread.start()
        atexit.register(self.close)

    def add(self, spans: List[Span]) -> None:
        """Queues spans without blocking; drops those that do not fit."""
        for span in spans:
            try:
                self._queue.put_nowait(span)
            except queue.Full:
                LOG.debug("The span queue is full: dropped a span of trace %s", span.trace_id)
        if self._queue.qsize() >= MAX_BATCH:
            self._wake.set()

    def close(self, timeout: float = 5.0) -> None:
        """Sends what is queued (waiting up to timeout) and stops the thread."""
        self._closing.set()
        self._wake.set()
        self._thread.join(timeout)
        atexit.unregister(self.close)

    def _run(self) -> None:
        while True:
            self._wake.wait(DELAY_SECONDS)
            self._wake.clear()
            closing = self._closing.is_set()
            while True:
                batch = self._take()
                if not batch:
                    break
                self._send(batch)
            if closing:
                return

    def _take(self) -> List[Span]:
        batch = []
        while len(batch) < MAX_BATCH:
            try:
                batch.append(self._queue.get_nowait())
            except queue.Empty:
                break
        return batch

    def _send(self, spans: List[Span]) -> None:
        body = (otlp_json if self._config.exporter == OTLP else zipkin_json)(
            spans, self._config.service_name)
        request = urllib.request.Request(self._config.endpoint, data=body.encode("utf-8"),
                                         headers={"Content-Type": "application/json"})
        try:
            urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS).close()
        except Exception as error:  # a collector that is down loses these spans, nothing else
            LOG.debug("Could not send %d spans to %s: %s", len(spans), self._config.endpoint,
                      error)


def zipkin_json(spans: List[Span], service_name: str) -> str:
    """Zipkin v2 JSON, with the tags OpenTelemetry's Zipkin exporter writes for an error."""
    def encode(span: Span) -> dict:
        tags = {key: str(value) for key, value in span.attributes.items()}
        if span.error is not None:
            tags.update({"otel.status_code": "ERROR", "error": span.error})
        start_us = span.start_ns // 1000
        return {"traceId": span.trace_id, "id": span.span_id, "parentId": span.parent_id,
                "name": span.name, "kind": "SERVER", "timestamp": start_us,
                "duration": max(1, span.end_ns // 1000 - start_us),
                "localEndpoint": {"serviceName": service_name}, "tags": tags}
    return json.dumps([encode(span) for span in spans])


def otlp_json(spans: List[Span], service_name: str) -> str:
    """An OTLP ExportTraceServiceRequest in the JSON encoding (ids in hex, 64-bit ints as
    strings)."""
    def value(v) -> dict:
        return {"intValue": str(v)} if isinstance(v, int) else {"stringValue": str(v)}

    def encode(span: Span) -> dict:
        return {"traceId": span.trace_id, "spanId": span.span_id, "parentSpanId": span.parent_id,
                "name": span.name, "kind": 2,  # SPAN_KIND_SERVER
                "startTimeUnixNano": str(span.start_ns), "endTimeUnixNano": str(span.end_ns),
                "attributes": [{"key": k, "value": value(v)} for k, v in span.attributes.items()],
                "status": ({"code": 2, "message": span.error} if span.error is not None
                           else {"code": 0})}
    return json.dumps({"resourceSpans": [{
        "resource": {"attributes": [{"key": "service.name", "value": value(service_name)}]},
        "scopeSpans": [{"scope": {"name": "clipper_container"},
                        "spans": [encode(span) for span in spans]}]}]})
