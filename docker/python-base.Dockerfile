# Debian's Python with the gRPC, protobuf and numpy the Python model SDK runs on (no PyPI here).
FROM local/debian:bookworm
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 python3-grpcio python3-protobuf python3-numpy \
 && apt-get clean && rm -rf /var/lib/apt/lists/*
