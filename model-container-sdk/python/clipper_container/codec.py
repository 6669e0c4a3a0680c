"""Converts a batch between the packed wire form of container.proto and Python values.

How predict sees numeric inputs (doubles, floats, ints): always a list with one entry per input,
in request order. Each entry is a 1-D numpy array (float64, float32 or int32) when numpy is used,
otherwise a list of float/int. A list rather than one 2-D array, because inputs of a batch may have
different lengths; when they are equal, np.stack(inputs) or np.sum(inputs, axis=1) still gives the
2-D form Clipper's Python containers passed. Strings arrive as str, bytes as bytes.
"""

from typing import Any, List, Optional, Sequence

from clipper_container.config import InputType
from clipper_container.proto import container_pb2

try:
    import numpy
except ImportError:  # numpy is optional: plain lists then
    numpy = None

# The oneof field of PredictRequest that carries each input type.
_FIELD = {
    InputType.DOUBLES: "doubles",
    InputType.FLOATS: "floats",
    InputType.INTS: "ints",
    InputType.BYTES: "bytes",
    InputType.STRINGS: "strings",
}
_TYPE_OF_FIELD = {field: input_type for input_type, field in _FIELD.items()}
_NUMPY_DTYPE = {InputType.DOUBLES: "float64", InputType.FLOATS: "float32", InputType.INTS: "int32"}


class BadBatchError(ValueError):
    """The request itself is wrong (no inputs, wrong type, inconsistent lengths)."""


def numpy_available() -> bool:
    """True when numpy can be imported, so numeric inputs can be numpy arrays."""
    return numpy is not None


def type_of(request: container_pb2.PredictRequest) -> Optional[InputType]:
    """The input type a request carries, or None when it carries none."""
    field = request.WhichOneof("batch")
    return _TYPE_OF_FIELD.get(field) if field else None


def decode(request: container_pb2.PredictRequest, as_numpy: bool = False) -> List[Any]:
    """One Python value per input of the request (see the module docstring for the types).

    Raises BadBatchError when the packed lengths do not fit the values sent.
    """
    input_type = type_of(request)
    if input_type is None:
        return []
    batch = getattr(request, _FIELD[input_type])
    if input_type in (InputType.BYTES, InputType.STRINGS):
        return list(batch.items)
    if as_numpy:
        values = numpy.array(batch.values, dtype=_NUMPY_DTYPE[input_type])
    else:
        values = list(batch.values)
    inputs = []
    offset = 0
    for length in batch.lengths:
        if offset + length > len(values):
            raise BadBatchError("Packed input lengths exceed the %d values sent" % len(values))
        inputs.append(values[offset:offset + length])
        offset += length
    return inputs


def decode_one(input_type: InputType, value: Any, as_numpy: bool = False) -> Any:
    """value (a sequence of numbers, a str or bytes) as predict receives one input of input_type
    in a request: through the wire form and decode, so floats are rounded to float32 and ints must
    fit in 32 bits as in a real request. Raises ValueError when value does not fit input_type.
    """
    try:
        request = encode(input_type, [value])
    except (TypeError, ValueError) as error:  # protobuf's checks: wrong type, int out of range
        raise ValueError("Not an input of type %s: %s" % (input_type, error)) from None
    return decode(request, as_numpy=as_numpy)[0]


def encode(input_type: InputType, inputs: Sequence[Any]) -> container_pb2.PredictRequest:
    """A request carrying inputs of input_type: sequences of numbers, str or bytes items.

    The inverse of decode; used by tests and by Python clients of a container.
    """
    field = _FIELD[input_type]
    if input_type in (InputType.BYTES, InputType.STRINGS):
        batch = {"items": list(inputs)}
    else:
        batch = {
            "values": [value for item in inputs for value in item],
            "lengths": [len(item) for item in inputs],
        }
    return container_pb2.PredictRequest(**{field: batch})
