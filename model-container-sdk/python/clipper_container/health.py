"""The standard grpc.health.v1.Health service, which the management service and Kubernetes probe.

Debian's python3-grpcio ships no grpc_health package, so this small servicer is written against
health.proto's messages: those of grpc_health when it is installed (two modules registering the same
grpc.health.v1 messages would clash in the protobuf descriptor pool), else our generated copy.
"""

import threading

import grpc

try:
    from grpc_health.v1 import health_pb2, health_pb2_grpc
except ImportError:
    from clipper_container.proto import health_pb2, health_pb2_grpc

SERVING = health_pb2.HealthCheckResponse.SERVING
NOT_SERVING = health_pb2.HealthCheckResponse.NOT_SERVING
SERVICE_UNKNOWN = health_pb2.HealthCheckResponse.SERVICE_UNKNOWN


class HealthService(health_pb2_grpc.HealthServicer):
    """Check and Watch over a status per service name ("" is the whole server)."""

    def __init__(self, service_names=("",)):
        self._changed = threading.Condition()
        self._status = dict.fromkeys(service_names, NOT_SERVING)

    def set_all(self, status) -> None:
        """Sets every known service to status and wakes the watchers."""
        with self._changed:
            for name in self._status:
                self._status[name] = status
            self._changed.notify_all()

    def add_to(self, server: grpc.Server) -> None:
        health_pb2_grpc.add_HealthServicer_to_server(self, server)

    def Check(self, request, context):
        with self._changed:
            status = self._status.get(request.service)
        if status is None:
            context.abort(grpc.StatusCode.NOT_FOUND, "Unknown service: %s" % request.service)
        return health_pb2.HealthCheckResponse(status=status)

    def Watch(self, request, context):
        # Sends the status now and on every change, until the client goes away or the server stops.
        last = None
        while context.is_active():
            with self._changed:
                status = self._status.get(request.service, SERVICE_UNKNOWN)
                if status == last:
                    self._changed.wait(timeout=1.0)
                    continue
            last = status
            yield health_pb2.HealthCheckResponse(status=status)
