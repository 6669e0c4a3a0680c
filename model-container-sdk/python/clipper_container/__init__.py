"""The Python model SDK: serve a predict(inputs) -> list[str] function as a Clipper model container.

    from clipper_container import serve

    def predict(inputs):              # a batch in: one entry per input
        return [str(sum(x)) for x in inputs]   # one string out per input, in order

    serve(predict)                    # CLIPPER_* environment; blocks until SIGTERM

It serves the same gRPC contract as the Java SDK
(model-container-sdk/src/main/proto/container.proto) plus grpc.health.v1.Health. Numeric inputs are 1-D numpy arrays when numpy is importable, else lists
(see clipper_container.codec); strings are str and bytes are bytes. With CLIPPER_SAMPLE_INPUT set,
predict answers that input once before the container serves (a model that fails on it does not
start).
"""

from clipper_container.config import ContainerConfig, InputType
from clipper_container.registration import RegistrationError
from clipper_container.server import Container, serve, start
from clipper_container.service import SampleInputError

__all__ = ["Container", "ContainerConfig", "InputType", "RegistrationError", "SampleInputError",
           "serve", "start"]
