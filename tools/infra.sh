#!/usr/bin/env bash
# Local infrastructure for development and tests: a real Apache Kafka broker (KRaft, single node) started
# from the official jars on Maven Central, and the PostgreSQL already running on this machine.
#
#   tools/infra.sh up             start Kafka (unless KAFKA_BROKERS is set), create the crm_* databases, migrate
#   tools/infra.sh down [--purge] stop the broker this script started; --purge also deletes its data and logs
#   tools/infra.sh status         one line per dependency; exit 1 if something is down
#
# Everything downloaded or written lives under $CRM_HOME (default ~/.cache/sales-crm), never in git.
# Why not Docker: see docs/decisions/0001-local-kafka-from-maven-central.md.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
POM=$ROOT/tools/kafka/pom.xml
KAFKA_VERSION=$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$POM")
CRM_HOME=${CRM_HOME:-$HOME/.cache/sales-crm}
KAFKA_DIR=$CRM_HOME/kafka-$KAFKA_VERSION
LIBS=$KAFKA_DIR/libs
DATA=$KAFKA_DIR/data
PROPS=$KAFKA_DIR/server.properties
LOG4J=$KAFKA_DIR/log4j2.properties
LOG=$KAFKA_DIR/broker.log
PIDFILE=$KAFKA_DIR/broker.pid
LOCAL_BROKER=127.0.0.1:9092
START_TIMEOUT=60 # seconds; a cold start takes ~5-10 s on 2 cores
STOP_TIMEOUT=30
DATABASES=(crm_leads crm_opportunities crm_orders crm_inventory crm_finance crm_analytics crm_customers crm_notifications crm_vault)

say() { echo "infra: $*"; }
die() { echo "infra: $*" >&2; exit 1; }

# ---------------------------------------------------------------- Kafka

kafka_answers() { # a broker that serves metadata, not just an open port
  node "$ROOT/tools/kafka-ping.js" "$1"
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

broker_pid() { # pid of the broker this script started; cleans up a stale pid file
  [[ -f $PIDFILE ]] || return 1
  local pid
  pid=$(<"$PIDFILE")
  if ps -p "$pid" -o args= 2>/dev/null | grep -q kafka.Kafka; then
    echo "$pid"
  else
    rm -f "$PIDFILE"
    return 1
  fi
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

write_config() { # rewritten on every start so changes here apply; the data dir keeps the state
  mkdir -p "$DATA"
  cat >"$PROPS" <<EOF
# Written by tools/infra.sh: single-node KRaft broker+controller for a dev box.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:9093
listeners=PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093
advertised.listeners=PLAINTEXT://127.0.0.1:9092
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$DATA
num.partitions=3
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
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

format_storage() { # once per data dir: KRaft refuses to start on an unformatted log dir
  [[ -f $DATA/meta.properties ]] && return
  local id out
  id=$("${JAVA[@]}" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n 1)
  out=$("${JAVA[@]}" kafka.tools.StorageTool format -t "$id" -c "$PROPS" 2>&1) ||
    die "formatting Kafka storage in $DATA failed: $(tail -n 3 <<<"$out")"
}

start_broker() {
  [[ -f $LOG ]] && mv -f "$LOG" "$LOG.1" # keep the previous run's log for post-mortems
  # setsid: its own session, so Ctrl-C in this terminal or the caller's exit does not take the broker down.
  # (No job control here, so setsid execs in place and $! is the java pid.)
  (
    cd "$KAFKA_DIR" # JVM crash files land next to the log
    nohup setsid "${JAVA[@]}" kafka.Kafka "$PROPS" >"$LOG" 2>&1 </dev/null &
    echo $! >"$PIDFILE"
  )
}

stop_broker() { # SIGTERM lets the broker shut down cleanly; SIGKILL only if it hangs
  local pid=$1 waited=0
  kill -TERM "$pid" 2>/dev/null || true
  while kill -0 "$pid" 2>/dev/null && ((waited < STOP_TIMEOUT)); do sleep 1 && waited=$((waited + 1)); done
  if kill -0 "$pid" 2>/dev/null; then
    say "kafka: pid $pid ignored SIGTERM for ${STOP_TIMEOUT}s, sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$PIDFILE"
}

start_failed() { # the first errors say why; the last lines say how it ended
  echo "infra: Kafka broker $1; log: $LOG (to start over with empty data: npm run infra:down -- --purge)" >&2
  grep -m 3 -E '^\[[^]]*\] (ERROR|FATAL)' "$LOG" >&2 || true
  echo "infra: last lines of the log:" >&2
  tail -n 8 "$LOG" >&2 || true
  exit 1
}

port_open() { (exec 3<>"/dev/tcp/${1%:*}/${1##*:}") 2>/dev/null; }

wait_for_broker() {
  local pid=$1 deadline=$((SECONDS + START_TIMEOUT))
  until kafka_answers "$LOCAL_BROKER"; do
    kill -0 "$pid" 2>/dev/null || { rm -f "$PIDFILE"; start_failed "exited during start-up"; }
    if ((SECONDS >= deadline)); then
      stop_broker "$pid"
      start_failed "did not answer on $LOCAL_BROKER within ${START_TIMEOUT}s (stopped it)"
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
  local pid started=$SECONDS
  if pid=$(broker_pid); then
    kafka_answers "$LOCAL_BROKER" || wait_for_broker "$pid" # still starting
    say "kafka: already running at $LOCAL_BROKER (pid $pid), nothing to do"
    return
  fi
  if kafka_answers "$LOCAL_BROKER"; then
    say "kafka: a broker not started by this script already answers at $LOCAL_BROKER; using it"
    return
  fi
  if ! command -v java >/dev/null && docker info >/dev/null 2>&1; then # optional path, see README
    say "kafka: java not found, using docker compose"
    docker compose -f "$ROOT/docker-compose.yml" up -d --wait kafka
    return
  fi
  local addr
  for addr in "$LOCAL_BROKER" 127.0.0.1:9093; do
    ! port_open "$addr" || die "$addr is in use by a program that is not a Kafka broker (free it, or set KAFKA_BROKERS)"
  done
  need_java
  fetch_jars
  write_config
  format_storage
  start_broker
  pid=$(<"$PIDFILE")
  wait_for_broker "$pid"
  say "kafka: started Apache Kafka $KAFKA_VERSION at $LOCAL_BROKER in $((SECONDS - started))s (pid $pid, log $LOG)"
}

kafka_down() {
  local pid
  if pid=$(broker_pid); then
    stop_broker "$pid"
    say "kafka: stopped broker (pid $pid)"
  else
    say "kafka: no broker started by this script is running"
  fi
  if [[ ${1:-} == --purge ]]; then
    rm -rf "$DATA" "$LOG" "$LOG.1"
    say "kafka: purged data and logs in $KAFKA_DIR (jars kept)"
  fi
}

kafka_status() {
  local target=${KAFKA_BROKERS:-$LOCAL_BROKER} pid how="not started by infra.sh"
  if pid=$(broker_pid); then how="pid $pid, started by infra.sh, log $LOG"; fi
  [[ -n ${KAFKA_BROKERS:-} ]] && how="from KAFKA_BROKERS"
  if kafka_answers "$target"; then
    echo "kafka:    up at $target ($how)"
  else
    echo "kafka:    DOWN at $target ($how; run: npm run infra:up)"
    return 1
  fi
}

# ---------------------------------------------------------------- PostgreSQL

# psql and pg_isready read DATABASE_URL via -d, or else the standard PG* variables.
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres} PGDATABASE=${PGDATABASE:-postgres}
PG_CONN=()
[[ -n ${DATABASE_URL:-} ]] && PG_CONN=(-d "$DATABASE_URL")

pg_where() { # host:port for messages, without credentials
  if [[ -n ${DATABASE_URL:-} ]]; then
    local authority=${DATABASE_URL#*://}
    authority=${authority%%/*}
    echo "${authority##*@}"
  else
    echo "$PGHOST:$PGPORT"
  fi
}

psql_q() { psql -X -q -At -w -v ON_ERROR_STOP=1 "${PG_CONN[@]}" "$@"; } # -w: never prompt (CI has no stdin)

pg_ready() { pg_isready -q -t 3 "${PG_CONN[@]}"; }

start_local_cluster() { # a stopped Debian cluster on the wanted local port: start it rather than fail
  command -v pg_lsclusters >/dev/null || return 1
  local where ver name
  where=$(pg_where)
  [[ $where == 127.0.0.1:* || $where == localhost:* ]] || return 1
  read -r ver name < <(pg_lsclusters -h | awk -v p="${where##*:}" '$3 == p && $4 == "down" { print $1, $2; exit }') || return 1
  say "postgres: starting the local cluster $ver/$name (it was down)"
  pg_ctlcluster --skip-systemctl-redirect "$ver" "$name" start >/dev/null 2>&1 || return 1
  pg_isready -q -t 15 "${PG_CONN[@]}"
}

need_postgres() {
  if ! command -v psql >/dev/null || ! command -v pg_isready >/dev/null; then
    die "psql/pg_isready not found (install the PostgreSQL client, e.g. apt-get install postgresql-client)"
  fi
  pg_ready || start_local_cluster ||
    die "PostgreSQL not reachable at $(pg_where) (set DATABASE_URL or PG*)"
  local err
  err=$(psql_q -c 'SELECT 1' 2>&1 >/dev/null) ||
    die "PostgreSQL at $(pg_where) refused the connection: $(head -n 1 <<<"$err")"
}

existing_dbs() { psql_q -c "SELECT datname FROM pg_database WHERE datname LIKE 'crm\_%' ORDER BY 1"; }

postgres_up() {
  need_postgres
  local have db created=()
  have=$(existing_dbs)
  for db in "${DATABASES[@]}"; do
    grep -qx "$db" <<<"$have" && continue
    psql_q -c "CREATE DATABASE $db" || die "could not create database $db at $(pg_where)"
    created+=("$db")
  done
  say "postgres: ready at $(pg_where); ${#DATABASES[@]} crm_* databases present${created[*]:+ (created: ${created[*]})}"
}

postgres_status() {
  local err have missing=() db
  if ! command -v pg_isready >/dev/null || ! pg_ready; then
    echo "postgres: DOWN at $(pg_where) (set DATABASE_URL or PG*)"
    return 1
  fi
  if ! err=$(psql_q -c 'SELECT 1' 2>&1 >/dev/null); then
    echo "postgres: reachable at $(pg_where) but refused the connection: $(head -n 1 <<<"$err")"
    return 1
  fi
  have=$(existing_dbs)
  for db in "${DATABASES[@]}"; do grep -qx "$db" <<<"$have" || missing+=("$db"); done
  if ((${#missing[@]})); then
    echo "postgres: up at $(pg_where); MISSING databases: ${missing[*]} (run: npm run infra:up)"
    return 1
  fi
  echo "postgres: up at $(pg_where); databases: ${DATABASES[*]}"
}

migrate() { # tools/migrate.ts runs every service's TypeORM migrations (once it exists)
  [[ -f $ROOT/tools/migrate.ts ]] || return 0
  (cd "$ROOT" && node -r ./tools/register.js tools/migrate.ts) || die "migrations failed (tools/migrate.ts)"
  say "postgres: migrations applied"
}

# ---------------------------------------------------------------- main

case "${1:-}" in
  up) # separate statements, not &&: set -e is off inside the left side of an && list
    kafka_up
    postgres_up
    migrate
    ;;
  down)
    [[ -z ${2:-} || $2 == --purge ]] || die "usage: tools/infra.sh down [--purge]"
    kafka_down "${2:-}"
    ;;
  status)
    need_node_tools
    rc=0
    kafka_status || rc=1
    postgres_status || rc=1
    exit "$rc"
    ;;
  *) die "usage: tools/infra.sh up | down [--purge] | status" ;;
esac
