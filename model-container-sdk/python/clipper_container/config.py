"""Where and as what a container serves, read from the same CLIPPER_* variables as the Java SDK.

The variables and defaults are those of Clipper's containers (and of
ai.clipper.sdk.ContainerConfig), so the process launcher starts a Python model like a Java one.
"""

import base64
import binascii
import enum
import os
from dataclasses import dataclass
from typing import List, Mapping, Optional, Union

from clipper_container.tracing import TracingConfig

DEFAULT_PORT = 7000


class InputType(enum.Enum):
    """The type of one model input; the value is Clipper's canonical name, e.g. "doubles"."""

    BYTES = "bytes"
    INTS = "ints"
    FLOATS = "floats"
    DOUBLES = "doubles"
    STRINGS = "strings"

    @classmethod
    def parse(cls, name: str) -> "InputType":
        """Accepts any of Clipper's spellings, case-insensitively ("d", "double", "strs", ...).

        Raises ValueError for an unknown name.
        """
        found = _ALIASES.get(str(name).strip().lower())
        if found is None:
            raise ValueError("Unknown input type: %r" % name)
        return found

    def __str__(self) -> str:
        return self.value


# The same table as Clipper's parse_input_type and the Java SDK's InputType.
_ALIASES = {
    **dict.fromkeys(("bytes", "byte", "b"), InputType.BYTES),
    **dict.fromkeys(("integers", "integer", "ints", "int", "i"), InputType.INTS),
    **dict.fromkeys(("floats", "float", "f"), InputType.FLOATS),
    **dict.fromkeys(("doubles", "double", "d"), InputType.DOUBLES),
    **dict.fromkeys(("strings", "string", "str", "strs", "s"), InputType.STRINGS),
}


@dataclass(frozen=True)
class ContainerConfig:
    """What a container serves and where.

    port 0 means any free port. management_url, when set, is where the container registers itself
    as a replica (POST <url>/admin/add_replica) with advertised_host and its port, sending
    management_token as a bearer token when the service requires one. sample_input, when set, is
    an input the model predicts once before the container serves (see sample()), in the form of
    CLIPPER_SAMPLE_INPUT: numbers separated by commas, the string itself, or base64 bytes.
    metrics_port, when not 0, is where the container serves Prometheus metrics (GET /metrics);
    tracing, when set, is where it sends the predict spans of sampled queries.
    """

    model_name: str = "model"
    model_version: str = "1"
    input_type: InputType = InputType.DOUBLES
    port: int = DEFAULT_PORT
    advertised_host: str = "127.0.0.1"
    management_url: Optional[str] = None
    management_token: Optional[str] = None
    sample_input: Optional[str] = None
    metrics_port: int = 0
    tracing: Optional[TracingConfig] = None

    def sample(self) -> Union[None, List[float], List[int], str, bytes]:
        """sample_input as a value of the input type: a list of float (doubles, floats) or of int
        (ints), a str, or bytes; None when there is none. Blank text is an empty list of numbers,
        as in the Java SDK. (codec.decode_one turns it into what predict receives.)

        Raises ValueError when the text is not of the input type.
        """
        text = self.sample_input
        if text is None:
            return None
        if self.input_type is InputType.STRINGS:
            return text
        if self.input_type is InputType.BYTES:
            try:
                text = text.strip()
                # Java's decoder, which the management service checks it with, needs no padding.
                return base64.b64decode(text + "=" * (-len(text) % 4), validate=True)
            except (binascii.Error, ValueError) as error:
                raise ValueError("CLIPPER_SAMPLE_INPUT is not base64 bytes: %s" % error) from None
        number = int if self.input_type is InputType.INTS else float
        items = text.split(",") if text.strip() else []
        try:
            return [number(item.strip()) for item in items]
        except ValueError:
            raise ValueError("CLIPPER_SAMPLE_INPUT is not %s separated by commas: %r"
                             % (self.input_type, text)) from None

    @classmethod
    def from_env(cls, env: Optional[Mapping[str, str]] = None) -> "ContainerConfig":
        """Reads CLIPPER_MODEL_NAME, CLIPPER_MODEL_VERSION, CLIPPER_INPUT_TYPE, CLIPPER_PORT,
        CLIPPER_CONTAINER_HOST, CLIPPER_MANAGEMENT_URL, CLIPPER_MANAGEMENT_AUTH_TOKEN (the
        variable that sets the management service's clipper.management.auth-token) and
        CLIPPER_SAMPLE_INPUT (kept as it is, even empty: an empty string is a string sample),
        CLIPPER_METRICS_PORT and the OTEL_* variables of TracingConfig.from_env from env
        (os.environ when env is None).

        Raises ValueError for an unknown input type or exporter, or a port that is not a number.
        """
        env = os.environ if env is None else env
        type_name = env.get("CLIPPER_INPUT_TYPE", "doubles")
        try:
            input_type = InputType.parse(type_name)
        except ValueError:
            raise ValueError("Unknown CLIPPER_INPUT_TYPE: %r" % type_name) from None
        url = env.get("CLIPPER_MANAGEMENT_URL", "").strip()
        token = env.get("CLIPPER_MANAGEMENT_AUTH_TOKEN", "").strip()
        model_name = env.get("CLIPPER_MODEL_NAME", "model")
        return cls(
            model_name=model_name,
            model_version=env.get("CLIPPER_MODEL_VERSION", "1"),
            input_type=input_type,
            port=_port("CLIPPER_PORT", env.get("CLIPPER_PORT", str(DEFAULT_PORT))),
            advertised_host=env.get("CLIPPER_CONTAINER_HOST", "127.0.0.1"),
            management_url=url or None,
            management_token=token or None,
            sample_input=env.get("CLIPPER_SAMPLE_INPUT"),
            metrics_port=_port("CLIPPER_METRICS_PORT",
                               env.get("CLIPPER_METRICS_PORT", "").strip() or "0"),
            tracing=TracingConfig.from_env(env, model_name),
        )


def _port(name: str, text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise ValueError("%s is not a port number: %r" % (name, text)) from None
