"""python-noop: answers "0" for any input; the Python twin of java-noop."""

from clipper_container import serve


def predict(inputs):
    return ["0"] * len(inputs)


if __name__ == "__main__":
    serve(predict)
