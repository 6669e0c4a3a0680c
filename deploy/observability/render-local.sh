#!/bin/bash
# Prints a Prometheus config for Clipper on this machine (./clipper up --observe, and the
# integration tests): each query frontend scraped directly on its own port, the management
# service, and the model replicas it launched (its /admin/prometheus_targets), with
# rules/clipper-rules.yml.
# usage: render-local.sh SCRAPE_INTERVAL MANAGEMENT_HOST:PORT FRONTEND_HOST:PORT...
set -euo pipefail
(($# >= 3)) || { echo "usage: $0 SCRAPE_INTERVAL MANAGEMENT_HOST:PORT FRONTEND_HOST:PORT..." >&2; exit 2; }
interval=$1 management=$2
shift 2
rules="$(cd "$(dirname "$0")" && pwd)/rules/clipper-rules.yml"
frontends=$(printf '"%s", ' "$@")
cat <<YML
global:
  scrape_interval: $interval
  evaluation_interval: $interval
rule_files:
  - $rules
scrape_configs:
  - job_name: clipper-frontend
    metrics_path: /actuator/prometheus
    static_configs:
      - targets: [${frontends%, }]
  - job_name: clipper-management
    metrics_path: /actuator/prometheus
    static_configs:
      - targets: ["$management"]
  - job_name: clipper-model
    http_sd_configs:
      - url: http://$management/admin/prometheus_targets
        refresh_interval: $interval
YML
