#!/usr/bin/env bash
# Prints haproxy.cfg for frontends given as HOST:HTTP_PORT:GRPC_PORT (servers f1, f2, ...).
# usage: deploy/haproxy/render.sh BIND_ADDRESS HTTP_PORT GRPC_PORT STATS_SOCKET FRONTEND...
set -euo pipefail
(($# >= 5)) || { sed -n 3p "$0" >&2; exit 2; }
bind=$1 http_port=$2 grpc_port=$3 stats=$4
shift 4
http_servers= grpc_servers=
i=0
for frontend in "$@"; do
  IFS=: read -r host http grpc <<<"$frontend"
  i=$((i + 1))
  http_servers+="  server f$i $host:$http check"$'\n'
  grpc_servers+="  server f$i $host:$grpc check port $http"$'\n'
done
while IFS= read -r line; do
  case $line in
    @HTTP_SERVERS@) printf '%s' "$http_servers" ;;
    @GRPC_SERVERS@) printf '%s' "$grpc_servers" ;;
    *)
      line=${line//@BIND@/$bind}
      line=${line//@HTTP_PORT@/$http_port}
      line=${line//@GRPC_PORT@/$grpc_port}
      printf '%s\n' "${line//@STATS_SOCKET@/$stats}" ;;
  esac
done <"$(dirname "$0")/haproxy.cfg.template"
