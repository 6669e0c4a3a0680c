#!/usr/bin/env bash
# Prints haproxy.cfg for frontends given as HOST:HTTP_PORT:GRPC_PORT (servers f1, f2, ...), or,
# with --dns, for up to MAX frontends that Docker's DNS (127.0.0.11) resolves NAME to, each
# listening on the two ports (docker-compose up --scale query-frontend=N).
# usage: deploy/haproxy/render.sh BIND_ADDRESS HTTP_PORT GRPC_PORT STATS_SOCKET FRONTEND...
#        deploy/haproxy/render.sh --dns NAME MAX BIND_ADDRESS HTTP_PORT GRPC_PORT STATS_SOCKET
set -euo pipefail
dns=
if [[ ${1:-} == --dns ]]; then
  (($# == 7)) || { sed -n 5,6p "$0" >&2; exit 2; }
  dns=$2 max=$3
  shift 3
fi
(($# >= 4)) && { [[ -n $dns ]] || (($# >= 5)); } || { sed -n 5,6p "$0" >&2; exit 2; }
bind=$1 http_port=$2 grpc_port=$3 stats=$4
shift 4
http_servers= grpc_servers= resolvers=
if [[ -n $dns ]]; then
  # a server slot per address the name resolves to, re-resolved every second; none needed at start
  at="resolvers docker init-addr none"
  http_servers="  server-template f 1-$max $dns:$http_port check $at"$'\n'
  grpc_servers="  server-template f 1-$max $dns:$grpc_port check port $http_port $at"$'\n'
  resolvers=$'\nresolvers docker\n  nameserver dns 127.0.0.11:53\n  hold valid 1s\n'
fi
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
printf '%s' "$resolvers"
