"""A predict span per sampled query of a batch, as the Java SDK records them.

The frontend sends each batch with one gRPC metadata value `traceparent` (W3C Trace Context,
`00-<trace id>-<span id>-<flags>`) per sampled query in it. For each value whose sampled flag is
set, the container records a span `predict` (kind SERVER), child of that value's span, around the
model's predict call, with the attributes clipper.model, clipper.model_version and
clipper.batch_size, and on failure an error status with the message. A malformed value is ignored.

Spans go where the standard OpenTelemetry variables say (see TracingConfig.from_env), sent by
clipper_container.span_export off the model thread. Debian has no OpenTelemetry packages, hence this
small implementation of the part the container needs.
"""

import os
import re
import time
from dataclasses import dataclass, field
from typing import Dict, List, Mapping, Optional, Union

ZIPKIN = "zipkin"
OTLP = "otlp"
# The endpoints the OpenTelemetry SDKs use when only the exporter is named.
DEFAULT_ENDPOINTS = {ZIPKIN: "http://localhost:9411/api/v2/spans",
                     OTLP: "http://localhost:4318/v1/traces"}

# version 00 (a later version may append fields after a dash); ids not all zeros.
_TRACEPARENT = re.compile(r"([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?")


@dataclass(frozen=True)
class TracingConfig:
    """Where spans go: exporter "zipkin" (Zipkin v2 JSON) or "otlp" (OTLP/HTTP JSON), the URL they
    are POSTed to, and the service they belong to."""

    exporter: str
    endpoint: str
    service_name: str

    @classmethod
    def from_env(cls, env: Mapping[str, str], model_name: str) -> Optional["TracingConfig"]:
        """Reads OTEL_TRACES_EXPORTER (zipkin, otlp or none; by default the exporter whose
        endpoint variable is set, else none), OTEL_EXPORTER_ZIPKIN_ENDPOINT,
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, OTEL_EXPORTER_OTLP_ENDPOINT (+ /v1/traces) and
        OTEL_SERVICE_NAME (default clipper-model-<model name>); None when tracing is off.

        Raises ValueError when OTEL_TRACES_EXPORTER names another exporter.
        """
        endpoints = {ZIPKIN: _non_blank(env.get("OTEL_EXPORTER_ZIPKIN_ENDPOINT"))}
        base = _non_blank(env.get("OTEL_EXPORTER_OTLP_ENDPOINT"))
        endpoints[OTLP] = (_non_blank(env.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"))
                           or (base.rstrip("/") + "/v1/traces" if base else None))
        chosen = (_non_blank(env.get("OTEL_TRACES_EXPORTER")) or "").lower() or next(
            (name for name in (ZIPKIN, OTLP) if endpoints[name]), "none")
        if chosen == "none":
            return None
        if chosen not in endpoints:
            raise ValueError("Unknown OTEL_TRACES_EXPORTER (zipkin, otlp or none): %r" % chosen)
        service = _non_blank(env.get("OTEL_SERVICE_NAME")) or "clipper-model-" + model_name
        return cls(chosen, endpoints[chosen] or DEFAULT_ENDPOINTS[chosen], service)


def _non_blank(value: Optional[str]) -> Optional[str]:
    return value.strip() if value and value.strip() else None


def sampled_parent(traceparent: str) -> Optional[tuple]:
    """(trace id, span id) of a well-formed traceparent whose sampled flag is set, else None."""
    match = _TRACEPARENT.fullmatch(traceparent.strip())
    if match is None:
        return None
    version, trace_id, span_id, flags, rest = match.groups()
    if (version == "ff" or (version == "00" and rest) or not int(flags, 16) & 1
            or trace_id == "0" * 32 or span_id == "0" * 16):
        return None
    return trace_id, span_id


@dataclass
class Span:
    """One finished or running span, in the fields both wire formats need."""

    trace_id: str
    parent_id: str
    attributes: Dict[str, Union[str, int]]
    name: str = "predict"
    span_id: str = field(default_factory=lambda: os.urandom(8).hex())
    start_ns: int = field(default_factory=time.time_ns)
    end_ns: int = 0
    error: Optional[str] = None


class PredictTracer:
    """Starts the predict spans of a batch and hands them, ended, to an exporter's add()."""

    def __init__(self, model_name: str, model_version: str, export):
        self._model = {"clipper.model": model_name, "clipper.model_version": model_version}
        self._export = export

    def start(self, traceparents: List[str], batch_size: int) -> List[Span]:
        """A running span per sampled, well-formed traceparent (malformed ones are ignored)."""
        spans = []
        for traceparent in traceparents:
            parent = sampled_parent(traceparent)
            if parent is not None:
                spans.append(Span(parent[0], parent[1],
                                  dict(self._model, **{"clipper.batch_size": batch_size})))
        return spans

    def end(self, spans: List[Span], error: Optional[str] = None) -> None:
        """Ends spans (with an error status when error is given) and queues them for export."""
        now = time.time_ns()
        for span in spans:
            span.end_ns = now
            span.error = error
        self._export(spans)
