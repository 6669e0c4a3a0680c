#!/bin/bash
# Builds every image the project needs without a registry: a Debian base by debootstrap, then
# Java and Python bases, Redis, Prometheus, the example models, the framework runtimes (clipper/runtime-<name>,
# which serve uploaded model artifacts under the docker and kubernetes launchers) and both
# services. Idempotent: a base image that `docker image inspect` finds is skipped; images that copy
# the project's jars or Python files are rebuilt every time, which Docker's layer cache makes a
# no-op (about a second) unless those files changed. --force rebuilds everything, the Debian base
# too. --runtimes "NAME..." builds only those framework runtimes (default: all; the pytorch one
# is the largest, about 1.5 GB). --digits also builds the digits example models
# (clipper/digits-<kind>; their layer with scikit-learn, PyTorch and XGBoost is large, so they are
# left out unless asked for).
set -euo pipefail
cd "$(dirname "$0")/.."
DOCKER=${DOCKER:-/usr/bin/docker}
FORCE=false
DIGITS=false
RUNTIMES="python-closure sklearn xgboost pytorch java"
while (($#)); do
  case $1 in
    --force) FORCE=true ;;
    --digits) DIGITS=true ;;
    --runtimes) RUNTIMES=${2:?--runtimes needs a list of names}; shift ;;
    *) echo "usage: docker/build-images.sh [--force] [--digits] [--runtimes \"NAME...\"]" >&2
       exit 2 ;;
  esac
  shift
done

exists() { ! $FORCE && "$DOCKER" image inspect "$1" >/dev/null 2>&1; }
log() { echo "build-images: $*" >&2; }

base() { # base IMAGE DOCKERFILE: built once
  if exists "$1"; then log "$1 exists, skipped"; return; fi
  build "$@"
}

build() { # build IMAGE DOCKERFILE [--build-arg ...]
  local image=$1 dockerfile=$2; shift 2
  log "building $image"
  "$DOCKER" build --network host -q -t "$image" -f "docker/$dockerfile" "$@" . >/dev/null
}

if exists local/debian:bookworm; then
  log "local/debian:bookworm exists, skipped"
else
  log "building local/debian:bookworm with debootstrap"
  mirror=$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
  rootfs=$(mktemp -d)
  trap 'rm -rf "$rootfs"' EXIT
  debootstrap --variant=minbase bookworm "$rootfs" "${mirror:-http://deb.debian.org/debian}" >/dev/null
  chroot "$rootfs" apt-get clean
  rm -rf "$rootfs"/var/lib/apt/lists/*
  tar -C "$rootfs" -c . | "$DOCKER" import -c 'CMD ["bash"]' - local/debian:bookworm >/dev/null
fi

# the jars the images copy; built once when missing
if ! ls examples/target/clipper-examples.jar management-service/target/*-exec.jar \
    query-frontend-service/target/*-exec.jar >/dev/null 2>&1; then
  log "building the jars"
  ./mvnw -B -q -DskipTests package
fi

base clipper/java-base java-base.Dockerfile
base clipper/python-base python-base.Dockerfile
build clipper/java-sum java-model.Dockerfile --build-arg MODEL_CLASS=ai.clipper.examples.SumModel
build clipper/java-noop java-model.Dockerfile --build-arg MODEL_CLASS=ai.clipper.examples.NoopModel
build clipper/python-sum python-model.Dockerfile --build-arg MODEL_DIR=examples/models/python-sum
for runtime in $RUNTIMES; do
  case $runtime in
    python-closure) packages=python3-cloudpickle ;;
    sklearn) packages=python3-sklearn ;;
    xgboost) packages=python3-xgboost ;;
    pytorch) packages=python3-torch ;;
    java) build clipper/runtime-java java-runtime.Dockerfile; continue ;;
    *) echo "build-images: no runtime named $runtime" >&2; exit 2 ;;
  esac
  build "clipper/runtime-$runtime" python-runtime.Dockerfile --build-arg RUNTIME="$runtime" \
    --build-arg PACKAGES="$packages"
done
if $DIGITS; then
  for kind in logreg linear-svm kernel-svm forest cnn xgboost; do
    build "clipper/digits-$kind" digits-model.Dockerfile --build-arg KIND="$kind"
  done
  build clipper/digits-logreg-permuted digits-model.Dockerfile --build-arg KIND=logreg \
    --build-arg LABEL_PERMUTATION=7390814265
fi
base clipper/redis redis.Dockerfile
base clipper/prometheus prometheus.Dockerfile
build clipper/management-service management-service.Dockerfile
build clipper/query-frontend query-frontend.Dockerfile
log "done"
