#!/bin/bash
# Starts or stops a Docker engine for CI (root, no systemd), following /work/shared/DOCKER.md:
#   docker/ci-engine.sh start   installs docker.io, docker-compose and debootstrap if missing,
#                               starts dockerd in the background (unless one already answers),
#                               waits for it, then builds the images the tests use
#                               (docker/build-images.sh)
#   docker/ci-engine.sh stop    stops the dockerd that `start` started, by its pidfile
# State (pidfile, dockerd.log) lives in $CLIPPER_DOCKER_STATE (default /tmp/clipper-docker).
# A non-zero exit means no usable engine: the Docker tests then skip and say why.
set -uo pipefail
cd "$(dirname "$0")/.."
STATE=${CLIPPER_DOCKER_STATE:-/tmp/clipper-docker}
PIDFILE=$STATE/dockerd.pid
REUSED=$STATE/reused
DOCKER=/usr/bin/docker
log() { echo "ci-engine: $*" >&2; }

answers() { "$DOCKER" info >/dev/null 2>&1; }

start() {
  mkdir -p "$STATE"
  if [[ ! -x /usr/sbin/dockerd || ! -x $DOCKER || ! -x /usr/sbin/debootstrap ]]; then
    log "installing docker.io docker-compose debootstrap"
    DEBIAN_FRONTEND=noninteractive apt-get install -y docker.io docker-compose debootstrap \
      >"$STATE/apt.log" 2>&1 || { log "apt-get install failed, see $STATE/apt.log"; return 1; }
  fi
  if answers; then
    # whoever started it stops it: the matching `stop` only takes this mark away
    touch "$REUSED"
    log "an engine already answers; using it (stop will leave it alone)"
  else
    rm -f "$REUSED"  # a stale mark from an earlier run must not keep our engine alive
    # published ports stay on loopback; --pidfile is what `stop` kills
    nohup /usr/sbin/dockerd --ip=127.0.0.1 --pidfile "$PIDFILE" >"$STATE/dockerd.log" 2>&1 &
    for _ in $(seq 120); do answers && break; sleep 0.5; done
    answers || { log "dockerd did not answer within 60 s, see $STATE/dockerd.log"; return 1; }
    log "dockerd $(cat "$PIDFILE") is up"
  fi
  # the Docker tests deploy a closure, a scikit-learn model and a jar (torch's image is ~1.3 GB)
  docker/build-images.sh --runtimes "python-closure sklearn java"
}

stop() {
  if [[ -f $REUSED ]]; then
    rm -f "$REUSED"
    log "leaving alone the engine that already ran before start"
    return 0
  fi
  [[ -f $PIDFILE ]] || { log "no pidfile at $PIDFILE; nothing to stop"; return 0; }
  local pid; pid=$(cat "$PIDFILE")
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  kill -0 "$pid" 2>/dev/null && { log "dockerd $pid still runs; killing it"; kill -9 "$pid"; }
  rm -f "$PIDFILE"
  log "dockerd $pid stopped"
}

case ${1:-} in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
