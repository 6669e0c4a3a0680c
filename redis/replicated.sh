# Sourced by ./clipper: Redis as Sentinel (a master, two replicas, three sentinels) or as Cluster
# (six nodes, three masters each with a replica) on local ports, for `./clipper up --redis
# sentinel|cluster`. Each node has a directory under run/redis-<mode>/ with its config file
# (written once, then rewritten by Redis itself: a sentinel records the current master, a node
# its role after a failover, a cluster node its nodes.conf) and its append-only file, so a node
# restarted, or the whole group on the next `up`, comes back in the role and on the port it had.

SENTINEL_MASTER=clipper  # the name the sentinels watch the master under
REDIS_GROUP=             # run/redis-<mode>: the nodes' directories

# How many of each process a mode runs; the names go into NAMES, started in that order.
redis_group_names() {
  case $REDIS_MODE in
    sentinel) echo redis-1 redis-2 redis-3 sentinel-1 sentinel-2 sentinel-3 ;;
    cluster) echo redis-1 redis-2 redis-3 redis-4 redis-5 redis-6 ;;
  esac
}

# A Redis node of the group is restarted only once its replicas could have taken over (sentinels
# and cluster nodes call a master down after 5 s): a master back within a second would stay
# master on an append-only file that may miss its last second of writes, and its replicas would
# copy that and drop writes they had, admin writes acknowledged by WAIT among them. After the
# failover it comes back as a replica of the promoted node.
FAILOVER_WAIT=15  # seconds

min_restart_delay() {  # name: the fewest seconds before restarting it
  if [[ $REDIS_MODE != single && $1 == redis-* ]]; then echo "$FAILOVER_WAIT"; else echo 0; fi
}

node_port() {  # name: the port in its config file
  awk '$1 == "port" { print $2 }' "$REDIS_GROUP/$1/$(node_config "$1")"
}

node_config() {  # name: its config file's name
  [[ $1 == sentinel-* ]] && echo sentinel.conf || echo redis.conf
}

# Writes a node's config file unless it has one: the shared redis/redis.conf (AOF persistence),
# its own port and directory, and its part in the group.
write_node_config() {  # name
  local name=$1 dir="$REDIS_GROUP/$1" port
  [[ -f $dir/$(node_config "$name") ]] && return 0
  mkdir -p "$dir"
  port=$(free_port "${NEXT_PORT:-16380}")
  NEXT_PORT=$((port + 1))
  case $REDIS_MODE:$name in
    sentinel:sentinel-*)
      # A sentinel rewrites this file with what it learns (the current master, the others).
      cat >"$dir/sentinel.conf" <<CONF
bind 127.0.0.1
port $port
dir $dir
sentinel monitor $SENTINEL_MASTER 127.0.0.1 $(node_port redis-1) 2
sentinel down-after-milliseconds $SENTINEL_MASTER 5000
sentinel failover-timeout $SENTINEL_MASTER 30000
CONF
      ;;
    *)
      printf 'include %s\nport %s\ndir %s\n' "$ROOT/redis/redis.conf" "$port" "$dir" \
        >"$dir/redis.conf"
      if [[ $REDIS_MODE == sentinel && $name != redis-1 ]]; then
        echo "replicaof 127.0.0.1 $(node_port redis-1)" >>"$dir/redis.conf"
      elif [[ $REDIS_MODE == cluster ]]; then
        printf 'cluster-enabled yes\ncluster-config-file nodes.conf\ncluster-node-timeout 5000\n' \
          >>"$dir/redis.conf"
      fi ;;
  esac
}

launch_redis_node() {  # name log
  local conf="$REDIS_GROUP/$1/$(node_config "$1")"
  if [[ $1 == sentinel-* ]]; then
    redis-server "$conf" --sentinel >>"$2" 2>&1 &
  else
    redis-server "$conf" >>"$2" 2>&1 &
  fi
}

await_port() {  # port: until something answers PING there
  for _ in $(seq 100); do
    [[ $(redis-cli -p "$1" PING 2>/dev/null) == PONG ]] && return 0
    sleep 0.1
  done
  echo "Nothing answers on port $1; see $LOGS/" >&2
  exit 1
}

# Starts every node of the group (and forms the cluster the first time); sets REDIS_ARGS, the
# Spring properties that point the services at it.
start_redis_group() {
  command -v redis-server >/dev/null && command -v redis-cli >/dev/null || {
    echo "--redis $REDIS_MODE needs redis-server and redis-cli: apt-get install -y redis-server" >&2
    exit 1
  }
  REDIS_GROUP="$RUN/redis-$REDIS_MODE"
  local name nodes=() sentinels=()
  for name in $(redis_group_names); do
    write_node_config "$name"
    launch "$name"
    await_port "$(node_port "$name")"
    if [[ $name == sentinel-* ]]; then sentinels+=("127.0.0.1:$(node_port "$name")")
    else nodes+=("127.0.0.1:$(node_port "$name")"); fi
  done
  if [[ $REDIS_MODE == sentinel ]]; then
    REDIS_ARGS=(--spring.data.redis.sentinel.master="$SENTINEL_MASTER"
      --spring.data.redis.sentinel.nodes="$(IFS=,; echo "${sentinels[*]}")")
    echo "Redis        Sentinel: master '$SENTINEL_MASTER', sentinels ${sentinels[*]}"
  else
    form_cluster "${nodes[@]}"
    REDIS_ARGS=(--spring.data.redis.cluster.nodes="$(IFS=,; echo "${nodes[*]}")")
    echo "Redis        Cluster: ${nodes[*]}"
  fi
  echo "             (data: $REDIS_GROUP)"
}

# Creates the cluster once (then each node's nodes.conf remembers it), and waits until every
# node says it serves every slot.
form_cluster() {  # host:port...
  if [[ ! -f $REDIS_GROUP/formed ]]; then
    redis-cli --cluster create "$@" --cluster-replicas 1 --cluster-yes >>"$LOGS/redis-cluster.log"
    touch "$REDIS_GROUP/formed"
  fi
  local node
  for node in "$@"; do
    for _ in $(seq 300); do
      redis-cli -p "${node#*:}" CLUSTER INFO | grep -q cluster_state:ok && continue 2
      sleep 0.1
    done
    echo "The cluster is not ok at $node; see $LOGS/redis-cluster.log and redis-N.log" >&2
    exit 1
  done
}
