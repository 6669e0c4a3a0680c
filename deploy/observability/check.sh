#!/bin/sh
# Checks every Prometheus config Clipper ships, and the rules they load, with promtool (Maven
# runs this in integration-tests' test phase): the compose one, one rendered by render-local.sh
# as ./clipper up --observe does, and the Kubernetes ConfigMap's. Exits non-zero with promtool's
# output when one is invalid; skips, successfully, when promtool (Debian: prometheus) is missing.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
if ! command -v promtool >/dev/null 2>&1; then
  echo "skipping the Prometheus config checks: promtool not installed (apt-get install -y prometheus)"
  exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

promtool check rules "$here/rules/clipper-rules.yml"
promtool check config "$here/prometheus.yml"
"$here/render-local.sh" 5s 127.0.0.1:1338 127.0.0.1:1337 127.0.0.1:18337 >"$work/local.yml"
promtool check config "$work/local.yml"
# the ConfigMap's prometheus.yml, beside the rules as the pod mounts them
awk '/^  prometheus.yml: \|$/ {inside = 1; next}
     inside && /^(    |$)/ {print substr($0, 5); next}
     {inside = 0}' "$here/../kubernetes/prometheus.yaml" >"$work/kubernetes.yml"
grep -q scrape_configs "$work/kubernetes.yml" \
  || { echo "no prometheus.yml in deploy/kubernetes/prometheus.yaml's ConfigMap" >&2; exit 1; }
mkdir "$work/rules"
cp "$here/rules/clipper-rules.yml" "$work/rules/"
promtool check config "$work/kubernetes.yml"
