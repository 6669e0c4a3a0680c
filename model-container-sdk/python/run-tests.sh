#!/bin/sh
# Runs the Python SDK's unit tests (Maven calls this in the test phase). Skips, successfully, when
# the interpreter lacks grpc/protobuf, so a machine without Debian's python3-grpcio still builds;
# exits non-zero when a test fails. CLIPPER_PYTHON overrides the interpreter (default /usr/bin/python3).
here=$(cd "$(dirname "$0")" && pwd)
python=${CLIPPER_PYTHON:-/usr/bin/python3}
if ! "$python" -c "import grpc, google.protobuf" >/dev/null 2>&1; then
  echo "skipping Python SDK tests: python3-grpcio/python3-protobuf not installed ($python cannot import grpc, google.protobuf)"
  exit 0
fi
cd "$here" && exec "$python" -m unittest discover -s tests "$@"
