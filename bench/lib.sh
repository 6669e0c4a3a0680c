# bench/lib.sh: what bench/run and bench/compare share, sourced by both. Starting and stopping
# the stack's processes, registering apps through the admin API, and measuring one point.
# The caller sets ROOT, LOGS, TSV, WARMUP, MEASURE, DRAIN, MAX_OUTSTANDING, SERVICE_JAVA_OPTS,
# LOADGEN_JAVA_OPTS and BUILD; start_* set REDIS_PORT, MGMT_PORT and QUERY_PORT.

VERSION=0.1.0-SNAPSHOT
MGMT_JAR="$ROOT/management-service/target/management-service-$VERSION-exec.jar"
QUERY_JAR="$ROOT/query-frontend-service/target/query-frontend-service-$VERSION-exec.jar"
EXAMPLES_JAR="$ROOT/examples/target/clipper-examples.jar"
BENCH_JAR="$ROOT/bench/target/clipper-bench.jar"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
PIDS=()

descendants() {  # every process below $1, deepest last
  local child
  for child in $(pgrep -P "$1" 2>/dev/null || true); do
    echo "$child"
    descendants "$child"
  done
}

stop_all() {
  local status=$?
  trap - INT TERM EXIT
  ((${#PIDS[@]})) || exit "$status"
  echo "Stopping everything ${0##*/} started..." >&2
  local all=() pid
  for pid in "${PIDS[@]}"; do
    all+=("$pid")
    for d in $(descendants "$pid"); do all+=("$d"); done
  done
  # Newest first: the management service stops its model replicas itself, then Redis goes.
  for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do kill -TERM "${PIDS[i]}" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  done
  # Whatever is left, replicas included (they were recorded before their parents went).
  for pid in "${all[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  exit "$status"
}

stop_one() {  # pid: stops a process this script started (and waits for it), before the end
  local pid kept=()
  kill -TERM "$1" 2>/dev/null || true
  for _ in $(seq 100); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$1" 2>/dev/null || true
  for pid in "${PIDS[@]}"; do [[ $pid == "$1" ]] || kept+=("$pid"); done
  PIDS=("${kept[@]}")
}

free_port() {  # the first port from $1 up that nothing listens on
  local port=$1
  while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
  echo "$port"
}

await_port() {  # name port log
  for _ in $(seq 300); do
    (exec 3<>"/dev/tcp/127.0.0.1/$2") 2>/dev/null && return 0
    sleep 0.2
  done
  echo "$1 is not listening on $2; its log ($3):" >&2
  tail -n 40 "$3" >&2
  exit 1
}

await_healthy() {  # name url log [health path]: until the path answers UP (2xx)
  for _ in $(seq 1200); do
    curl -fs "$2${4:-/actuator/health}" >/dev/null 2>&1 && return 0
    sleep 0.05
  done
  echo "$1 did not become healthy; its log ($3):" >&2
  tail -n 40 "$3" >&2
  exit 1
}

build() {  # builds the jars when one is missing, or always with BUILD=always
  if [[ $BUILD == always || ! -f $MGMT_JAR || ! -f $QUERY_JAR || ! -f $EXAMPLES_JAR || ! -f $BENCH_JAR ]]; then
    echo "Building (./mvnw -B -q -DskipTests package)..." >&2
    (cd "$ROOT" && ./mvnw -B -q -DskipTests package)
  fi
}

start_redis() {
  mkdir -p "$LOGS"
  trap stop_all INT TERM EXIT
  REDIS_PORT=$(free_port 26379)
  if command -v redis-server >/dev/null; then
    redis-server "$ROOT/redis/redis.conf" --port "$REDIS_PORT" --dir "$LOGS" >"$LOGS/redis.log" 2>&1 &
  else
    "$JAVA" -cp "$BENCH_JAR" ai.clipper.metadata.localredis.LocalRedis "$REDIS_PORT" >"$LOGS/redis.log" 2>&1 &
  fi
  PIDS+=($!)
  await_port Redis "$REDIS_PORT" "$LOGS/redis.log"
}

start_management() {
  MGMT_PORT=$(free_port 21338)
  # shellcheck disable=SC2086 # SERVICE_JAVA_OPTS is a list of JVM flags
  "$JAVA" $SERVICE_JAVA_OPTS -jar "$MGMT_JAR" --server.port="$MGMT_PORT" \
    --spring.data.redis.port="$REDIS_PORT" \
    --clipper.management.process.models-root="$ROOT/examples/models" \
    --clipper.management.process.runtimes-root="$ROOT/runtimes" \
    --clipper.management.artifacts.dir="$LOGS/artifacts" \
    --clipper.management.process.log-dir="$LOGS/replicas" >"$LOGS/management.log" 2>&1 &
  PIDS+=($!)
  await_port "The management service" "$MGMT_PORT" "$LOGS/management.log"
}

start_frontend() {  # jar name extra-args...: a query frontend on a free port from 21337 up;
  # sets FRONTEND_PORT and FRONTEND_PID, and does not wait for it; its V2 gRPC port is any
  # free one, so two frontends (bench/compare) never compete for 1339 (v2_grpc_port finds it)
  FRONTEND_PORT=$(free_port 21337)
  # shellcheck disable=SC2086 # SERVICE_JAVA_OPTS is a list of JVM flags
  "$JAVA" $SERVICE_JAVA_OPTS -jar "$1" --server.port="$FRONTEND_PORT" \
    --spring.data.redis.port="$REDIS_PORT" --clipper.frontend.v2.grpc-port=0 "${@:3}" \
    >"$LOGS/$2.log" 2>&1 &
  FRONTEND_PID=$!
  PIDS+=("$FRONTEND_PID")
  await_port "The query frontend ($2)" "$FRONTEND_PORT" "$LOGS/$2.log"
}

v2_grpc_port() {  # name: the V2 gRPC port that frontend picked (it logs it once listening)
  local port
  for _ in $(seq 300); do
    port=$(sed -n 's/.*V2 gRPC (inference.GRPCInferenceService) on port \([0-9]*\).*/\1/p' \
      "$LOGS/$1.log" 2>/dev/null | tail -1)
    [[ -n $port ]] && { echo "$port"; return 0; }
    sleep 0.2
  done
  echo "The query frontend ($1) never said which V2 gRPC port it listens on; its log: $LOGS/$1.log" >&2
  exit 1
}

admin() {  # path json: prints the answer, fails on an error answer
  local answer
  answer=$(curl -s -XPOST "http://127.0.0.1:$MGMT_PORT$1" -H 'Content-Type: application/json' -d "$2")
  echo "  $1 $(echo "$2" | grep -o '"\(name\|model_name\|app_name\)": *"[^"]*"' | head -1) -> $answer" >&2
  [[ $answer != *'"error"'* ]]
}

add_app() {  # name slo_micros cache_enabled [more json fields, e.g. "overload": "reject"]
  # cache_enabled is the per-app cache opt-out; a frontend without a cache has nothing to turn
  # off, so if the management service rejects the field the app is added without it.
  local base="\"name\": \"$1\", \"input_type\": \"doubles\", \"default_output\": \"-1\", \"latency_slo_micros\": $2${4:+, $4}"
  if ! admin /admin/add_app "{$base, \"cache_enabled\": $3}" 2>"$LOGS/add_app.err"; then
    cat "$LOGS/add_app.err" >&2
    grep -q cache_enabled "$LOGS/add_app.err" || exit 1
    echo "  (add_app rejected cache_enabled: adding '$1' without it)" >&2
    admin /admin/add_app "{$base}"
  else
    cat "$LOGS/add_app.err" >&2
  fi
}

add_model() {  # name container batch_size [env json]
  admin /admin/add_model "{\"model_name\": \"$1\", \"model_version\": \"1\", \"labels\": [], \"input_type\": \"doubles\", \"container_name\": \"$2\", \"batch_size\": $3${4:+, \"env\": $4}}"
}

link() {  # app model
  admin /admin/add_model_links "{\"app_name\": \"$1\", \"model_names\": [\"$2\"]}"
}

await_app() {  # app [answer pattern] [frontend port]: until it answers so (by default a
  # model's output, not a default)
  local pattern=${2:-'"default":false'}
  for _ in $(seq 300); do
    curl -s -XPOST "http://127.0.0.1:${3:-$QUERY_PORT}/$1/predict" -d '{"input": [1, 2, 3]}' \
      | grep -q "$pattern" && return 0
    sleep 0.2
  done
  echo "App '$1' never answered $pattern in 60 s; logs in $LOGS" >&2
  exit 1
}

point() {  # scenario label target-flags... -- load-flags...: one measured point into $TSV
  # shellcheck disable=SC2086 # LOADGEN_JAVA_OPTS is a list of JVM flags
  "$JAVA" $LOADGEN_JAVA_OPTS -jar "$BENCH_JAR" load --scenario "$1" --label "$2" \
    --warmup "$WARMUP" --measure "$MEASURE" --drain "$DRAIN" \
    --max-outstanding "$MAX_OUTSTANDING" --results "$TSV" "${@:3}"
}

machine() {  # one line: cores, CPU, RAM, JVM
  local mem
  mem=$(free -g 2>/dev/null | awk '/^Mem:/ {print $2 " GB"}')
  echo "$(nproc) cores, $(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -1), ${mem:-? GB} RAM;" \
    "$("$JAVA" -version 2>&1 | head -1); load generator on the same cores"
}
