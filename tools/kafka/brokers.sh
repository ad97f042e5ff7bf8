# Sourced by tools/infra.sh (which defines ROOT, say and die): the Kafka side of the local infrastructure, one
# KRaft node or a cluster of three, from the Apache Kafka jars on Maven Central (tools/kafka/pom.xml).
# Its entry points: kafka_up, kafka_down [--purge], kafka_status, need_node_tools; NODES (1 or 3) picks the mode.
# shellcheck shell=bash
POM=$ROOT/tools/kafka/pom.xml
KAFKA_VERSION=$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$POM")
CRM_HOME=${CRM_HOME:-$HOME/.cache/sales-crm}
KAFKA_DIR=$CRM_HOME/kafka-$KAFKA_VERSION
LIBS=$KAFKA_DIR/libs
LOG4J=$KAFKA_DIR/log4j2.properties
CLUSTER_DIR=$KAFKA_DIR/cluster # a three-node cluster's node-1..3; the single node keeps $KAFKA_DIR itself
PORT_BASE=${KAFKA_PORT_BASE:-9092}
NODES=${CRM_KAFKA_BROKERS:-1}
START_TIMEOUT=60 # seconds; a cold start takes ~5-10 s on 2 cores
STOP_TIMEOUT=30

# Node n (1-based) of the current mode: its directory, ports and files.
node_dir() { if ((NODES == 1)); then echo "$KAFKA_DIR"; else echo "$CLUSTER_DIR/node-$1"; fi; }
node_port() { echo $((PORT_BASE + 2 * ($1 - 1))); }
node_addr() { echo "127.0.0.1:$(node_port "$1")"; }
ctrl_addr() { echo "127.0.0.1:$(($(node_port "$1") + 1))"; }
all_addrs() { # the bootstrap list of the current mode, comma-separated
  local n out=()
  for ((n = 1; n <= NODES; n++)); do out+=("$(node_addr "$n")"); done
  (IFS=, && echo "${out[*]}")
}

# ---------------------------------------------------------------- Kafka

kafka_answers() { # brokers $1 serve metadata (not just an open port), with at least $2 registered (default 1)
  KAFKA_PING_MIN_BROKERS=${2:-1} node "$ROOT/tools/kafka-ping.js" "$1"
}

need_node_tools() {
  command -v node >/dev/null || die "node not found (need Node >= 20.19)"
  (cd "$ROOT" && node -e "require.resolve('kafkajs')" 2>/dev/null) || die "kafkajs not installed (run: npm ci)"
}

need_java() {
  command -v java >/dev/null || die "java not found (need Java 17+)"
  local major
  major=$(java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n 1)
  ((${major:-0} >= 17)) || die "java ${major:-?} found, need Java 17+"
}

broker_pid() { # pid of the broker this script started from the node dir $1; cleans up a stale pid file
  local pidfile=$1/broker.pid pid
  [[ -f $pidfile ]] || return 1
  pid=$(<"$pidfile")
  if ps -p "$pid" -o args= 2>/dev/null | grep -q kafka.Kafka; then
    echo "$pid"
  else
    rm -f "$pidfile"
    return 1
  fi
}

running_mode() { # "1" or "3" when a broker started by this script runs in that mode, else nothing
  local d
  if broker_pid "$KAFKA_DIR" >/dev/null; then echo 1 && return; fi
  for d in "$CLUSTER_DIR"/node-*; do
    [[ -d $d ]] && broker_pid "$d" >/dev/null && echo 3 && return
  done
  return 0
}

fetch_jars() { # resolved once; re-resolved only when tools/kafka/pom.xml changes
  local stamp
  stamp=$(sha256sum "$POM" | cut -d' ' -f1)
  [[ -f $LIBS/.pom-sha256 && $(<"$LIBS/.pom-sha256") == "$stamp" ]] && return
  command -v mvn >/dev/null || die "mvn not found (need Maven 3.6+ to fetch the Kafka jars from Maven Central)"
  say "kafka: fetching Apache Kafka $KAFKA_VERSION jars from Maven Central into $LIBS (first run only)"
  mkdir -p "$KAFKA_DIR"
  rm -rf "$LIBS.tmp"
  # Copy into a temp dir and rename, so an interrupted download never looks like a complete cache.
  if ! mvn -q -B -Dstyle.color=never -f "$POM" dependency:copy-dependencies -DincludeScope=runtime \
    -DoutputDirectory="$LIBS.tmp" >"$KAFKA_DIR/maven.log" 2>&1; then
    sed 's/\x1b\[[0-9;]*m//g' "$KAFKA_DIR/maven.log" | grep -m 1 ERROR >&2 || tail -n 5 "$KAFKA_DIR/maven.log" >&2
    die "Maven could not resolve the Kafka $KAFKA_VERSION jars (Maven Central reachable? full log: $KAFKA_DIR/maven.log)"
  fi
  echo "$stamp" >"$LIBS.tmp/.pom-sha256"
  rm -rf "$LIBS" && mv "$LIBS.tmp" "$LIBS"
}

write_config() { # node $1; rewritten on every start so changes here apply; the data dir keeps the state
  local n=$1 dir voters=() i rf=1 isr=1
  dir=$(node_dir "$n")
  mkdir -p "$dir/data"
  for ((i = 1; i <= NODES; i++)); do voters+=("$i@$(ctrl_addr "$i")"); done
  # Three copies, two needed for a write: one node may crash or restart without a stall or a lost event.
  ((NODES == 3)) && rf=3 isr=2
  cat >"$dir/server.properties" <<EOF
# Written by tools/infra.sh: KRaft broker+controller $n of $NODES for a dev box.
process.roles=broker,controller
node.id=$n
controller.quorum.voters=$(IFS=, && echo "${voters[*]}")
listeners=PLAINTEXT://$(node_addr "$n"),CONTROLLER://$(ctrl_addr "$n")
advertised.listeners=PLAINTEXT://$(node_addr "$n")
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$dir/data
num.partitions=3
default.replication.factor=$rf
min.insync.replicas=$isr
offsets.topic.replication.factor=$rf
transaction.state.log.replication.factor=$rf
transaction.state.log.min.isr=$isr
share.coordinator.state.topic.replication.factor=$rf
share.coordinator.state.topic.min.isr=$isr
group.initial.rebalance.delay.ms=0
# Services create their topics at start-up; a typo must fail, not create a topic.
auto.create.topics.enable=false
EOF
  cat >"$LOG4J" <<'EOF'
# Written by tools/infra.sh: broker logs to stdout, which infra.sh sends to broker.log.
status = warn
appender.out.type = Console
appender.out.name = STDOUT
appender.out.layout.type = PatternLayout
appender.out.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = INFO
rootLogger.appenderRef.out.ref = STDOUT
logger.request.name = kafka.request.logger
logger.request.level = WARN
EOF
}

JAVA=(java -Xmx512m -Dlog4j2.configurationFile="$LOG4J" -cp "$LIBS/*")

cluster_id() { # one id for every node of a cluster, kept next to the node dirs
  local file=$KAFKA_DIR/cluster.id
  ((NODES == 3)) && file=$CLUSTER_DIR/cluster.id
  if [[ ! -s $file ]]; then
    mkdir -p "$(dirname "$file")"
    "${JAVA[@]}" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n 1 >"$file"
  fi
  cat "$file"
}

format_storage() { # once per data dir: KRaft refuses to start on an unformatted log dir
  local dir out
  dir=$(node_dir "$1")
  [[ -f $dir/data/meta.properties ]] && return
  out=$("${JAVA[@]}" kafka.tools.StorageTool format -t "$(cluster_id)" -c "$dir/server.properties" 2>&1) ||
    die "formatting Kafka storage in $dir/data failed: $(tail -n 3 <<<"$out")"
}

start_broker() {
  local dir
  dir=$(node_dir "$1")
  [[ -f $dir/broker.log ]] && mv -f "$dir/broker.log" "$dir/broker.log.1" # keep the previous run's log for post-mortems
  # setsid: its own session, so Ctrl-C in this terminal or the caller's exit does not take the broker down.
  # (No job control here, so setsid execs in place and $! is the java pid.)
  (
    cd "$dir" # JVM crash files land next to the log
    nohup setsid "${JAVA[@]}" kafka.Kafka "$dir/server.properties" >"$dir/broker.log" 2>&1 </dev/null &
    echo $! >"$dir/broker.pid"
  )
}

stop_broker() { # pid $1 of node dir $2; SIGTERM lets the broker shut down cleanly; SIGKILL only if it hangs
  local pid=$1 waited=0
  kill -TERM "$pid" 2>/dev/null || true
  while kill -0 "$pid" 2>/dev/null && ((waited < STOP_TIMEOUT)); do sleep 1 && waited=$((waited + 1)); done
  if kill -0 "$pid" 2>/dev/null; then
    say "kafka: pid $pid ignored SIGTERM for ${STOP_TIMEOUT}s, sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$2/broker.pid"
}

start_failed() { # node dir $1, reason $2; the first errors say why; the last lines say how it ended
  local log=$1/broker.log
  echo "infra: Kafka broker $2; log: $log (to start over with empty data: npm run infra:down -- --purge)" >&2
  grep -m 3 -E '^\[[^]]*\] (ERROR|FATAL)' "$log" >&2 || true
  echo "infra: last lines of the log:" >&2
  tail -n 8 "$log" >&2 || true
  exit 1
}

port_open() { (exec 3<>"/dev/tcp/${1%:*}/${1##*:}") 2>/dev/null; }

stop_dirs() { # the brokers of the node dirs given: SIGTERM to all first (the last of a cluster to stop would
  # otherwise wait for a controller quorum that is already gone), then wait for each
  local dir pid pids=() dirs=()
  for dir in "$@"; do
    [[ -d $dir ]] || continue
    if pid=$(broker_pid "$dir"); then
      kill -TERM "$pid" 2>/dev/null || true
      pids+=("$pid") dirs+=("$dir")
    fi
  done
  for ((i = 0; i < ${#pids[@]}; i++)); do
    stop_broker "${pids[i]}" "${dirs[i]}"
    say "kafka: stopped broker $(basename "${dirs[i]}") (pid ${pids[i]})"
  done
  ((${#pids[@]}))
}

stop_nodes() { # every node of the current mode this script started
  local n dirs=()
  for ((n = 1; n <= NODES; n++)); do dirs+=("$(node_dir "$n")"); done
  stop_dirs "${dirs[@]}" || true
}

wait_for_brokers() { # every node answers and the cluster has all its brokers registered
  local deadline=$((SECONDS + START_TIMEOUT)) n dir
  until kafka_answers "$(all_addrs)" "$NODES"; do
    for ((n = 1; n <= NODES; n++)); do
      dir=$(node_dir "$n")
      broker_pid "$dir" >/dev/null || { stop_nodes; start_failed "$dir" "$n exited during start-up (stopped the others)"; }
    done
    if ((SECONDS >= deadline)); then
      stop_nodes
      start_failed "$(node_dir 1)" "cluster did not answer on $(all_addrs) within ${START_TIMEOUT}s (stopped it)"
    fi
    sleep 1
  done
}

kafka_up() {
  need_node_tools
  if [[ -n ${KAFKA_BROKERS:-} ]]; then # an explicit setting wins: check it, start nothing
    kafka_answers "$KAFKA_BROKERS" || die "Kafka not reachable at KAFKA_BROKERS=$KAFKA_BROKERS (unset it to start a local broker)"
    say "kafka: using KAFKA_BROKERS=$KAFKA_BROKERS (reachable, nothing started)"
    return
  fi
  local started=$SECONDS running n addr
  running=$(running_mode)
  if [[ -n $running && $running != "$NODES" ]]; then # never a half state: one mode at a time
    die "a $running-node Kafka started by this script is running; stop it first (npm run infra:down), then: npm run infra:up -- --brokers $NODES"
  fi
  if [[ -n $running ]]; then
    for ((n = 1; n <= NODES; n++)); do broker_pid "$(node_dir "$n")" >/dev/null || break; done
    if ((n > NODES)); then # every node runs (maybe still starting)
      kafka_answers "$(all_addrs)" "$NODES" || wait_for_brokers
      say "kafka: already running at $(all_addrs), nothing to do"
      say "kafka: export KAFKA_BROKERS=$(all_addrs)"
      return
    fi
    say "kafka: node $n of the cluster is not running; starting it again"
  fi
  if [[ -z $running ]] && kafka_answers "$(node_addr 1)"; then
    say "kafka: a broker not started by this script already answers at $(node_addr 1); using it"
    return
  fi
  if ((NODES == 1)) && ! command -v java >/dev/null && docker info >/dev/null 2>&1; then # optional path, see README
    say "kafka: java not found, using docker compose"
    docker compose -f "$ROOT/docker-compose.yml" up -d --wait kafka
    return
  fi
  need_java
  fetch_jars
  for ((n = 1; n <= NODES; n++)); do
    broker_pid "$(node_dir "$n")" >/dev/null && continue # a surviving node of this cluster keeps running
    for addr in "$(node_addr "$n")" "$(ctrl_addr "$n")"; do
      ! port_open "$addr" || die "$addr is in use by a program that is not a Kafka broker of this script (free it, set KAFKA_PORT_BASE, or set KAFKA_BROKERS)"
    done
    write_config "$n"
    format_storage "$n"
    start_broker "$n"
  done
  wait_for_brokers
  say "kafka: started Apache Kafka $KAFKA_VERSION, $NODES node(s), at $(all_addrs) in $((SECONDS - started))s (logs $(node_dir 1)/broker.log$( ((NODES > 1)) && echo " and the other node dirs"))"
  say "kafka: export KAFKA_BROKERS=$(all_addrs)"
}

kafka_down() {
  # whichever mode is running
  stop_dirs "$KAFKA_DIR" "$CLUSTER_DIR"/node-* || say "kafka: no broker started by this script is running"
  if [[ ${1:-} == --purge ]]; then
    rm -rf "$KAFKA_DIR/data" "$KAFKA_DIR"/broker.log* "$KAFKA_DIR/cluster.id" "$CLUSTER_DIR"
    say "kafka: purged data and logs in $KAFKA_DIR (jars kept)"
  fi
}

kafka_status() {
  local running target how="not started by infra.sh"
  running=$(running_mode)
  [[ -n $running ]] && NODES=$running how="started by infra.sh, $running node(s), logs under $KAFKA_DIR"
  target=${KAFKA_BROKERS:-$(all_addrs)}
  [[ -n ${KAFKA_BROKERS:-} ]] && how="from KAFKA_BROKERS"
  if kafka_answers "$target"; then
    echo "kafka:    up at $target ($how)"
    node "$ROOT/tools/kafka-status.js" "$target" | sed 's/^/  /' || true
  else
    echo "kafka:    DOWN at $target ($how; run: npm run infra:up)"
    return 1
  fi
}
