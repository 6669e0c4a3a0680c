"""python-sum: doubles in, their sum out; the Python twin of java-sum."""

import json

from clipper_container import serve


def format_number(value: float) -> str:
    """The shortest JSON form of a number, so a sum of 6.0 answers "6" (as the Java example)."""
    value = float(value)
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return json.dumps(value)


def predict(inputs):
    # Each input is a 1-D numpy array or a list of floats; sum() works on both.
    return [format_number(sum(x)) for x in inputs]


if __name__ == "__main__":
    serve(predict)
