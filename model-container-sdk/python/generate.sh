#!/bin/sh
# Regenerates the checked-in Python stubs in clipper_container/proto/ from the one contract,
# model-container-sdk/src/main/proto/container.proto, and from grpc.health.v1's health.proto taken
# out of the grpc-services jar that Maven already downloads (so neither .proto is copied here).
#
# The stubs must match Debian's runtime (python3-protobuf 3.21.x / 4.21.x, python3-grpcio 1.51):
#   apt-get install -y protobuf-compiler protobuf-compiler-grpc
# Debian's python3-grpc-tools bundles protoc 3.5, whose gencode the 3.21 runtime rejects, so this
# script uses the system protoc and grpc_python_plugin instead.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
sdk=$(cd "$here/.." && pwd)
out="$here"
package=clipper_container/proto

command -v protoc >/dev/null || { echo "protoc not found: apt-get install -y protobuf-compiler" >&2; exit 1; }
plugin=$(command -v grpc_python_plugin) \
  || { echo "grpc_python_plugin not found: apt-get install -y protobuf-compiler-grpc" >&2; exit 1; }
case "$(protoc --version)" in
  "libprotoc 3.21."*) ;;
  *) echo "need protoc 3.21.x for python3-protobuf, found: $(protoc --version)" >&2; exit 1 ;;
esac

# health.proto: from the newest grpc-services jar in the local Maven repository
# (run ./mvnw -pl model-container-sdk compile once if there is none).
repo=${MAVEN_REPO:-$HOME/.m2/repository}
jar=$(ls "$repo"/io/grpc/grpc-services/*/grpc-services-*.jar 2>/dev/null | grep -v -- '-sources' | sort -V | tail -n 1)
[ -n "$jar" ] || { echo "no grpc-services jar under $repo; build model-container-sdk first" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
unzip -q -o "$jar" grpc/health/v1/health.proto -d "$work"

# The virtual import paths (-I<package>=<dir>) make the generated grpc modules import their
# messages as "from clipper_container.proto import ..." rather than as top-level modules.
protoc \
  -I"$package=$sdk/src/main/proto" \
  -I"$package=$work/grpc/health/v1" \
  --plugin=protoc-gen-grpc_python="$plugin" \
  --python_out="$out" --grpc_python_out="$out" \
  "$package/container.proto" "$package/health.proto"

echo "generated from $(protoc --version) and $jar:"
ls "$out/$package"
