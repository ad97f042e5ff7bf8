#!/usr/bin/env bash
# Local infrastructure for development and tests: a real Apache Kafka (KRaft: one node, or a cluster of three)
# started from the official jars on Maven Central, and the PostgreSQL already running on this machine.
#
#   tools/infra.sh up [--brokers 1|3]  start Kafka (unless KAFKA_BROKERS is set), create the crm_* databases, migrate
#   tools/infra.sh down [--purge]      stop the broker(s) this script started; --purge also deletes data and logs
#   tools/infra.sh status              one line per dependency (per broker, and partition leaders/ISR for a
#                                      cluster); exit 1 if something is down
#
# --brokers 3 (or CRM_KAFKA_BROKERS=3) starts three combined broker+controller nodes, all voters: node n (1..3)
# listens on KAFKA_PORT_BASE + 2(n-1) for clients and the next port for the controller quorum, so with the
# default base 9092 the brokers are 9092/9094/9096 and the controllers 9093/9095/9097 (one node: 9092/9093).
# Everything downloaded or written lives under $CRM_HOME (default ~/.cache/sales-crm), never in git.
# Why not Docker: see docs/decisions/0001-local-kafka-from-maven-central.md.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DATABASES=(crm_leads crm_opportunities crm_orders crm_inventory crm_finance crm_analytics crm_customers crm_notifications crm_vault)

say() { echo "infra: $*"; }
die() { echo "infra: $*" >&2; exit 1; }

# shellcheck source=tools/kafka/brokers.sh
source "$ROOT/tools/kafka/brokers.sh"

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

cmd=${1:-}
shift || true
if [[ $cmd == up ]]; then
  while (($#)); do
    case $1 in
      --brokers) NODES=${2:-} && shift 2 ;;
      --brokers=*) NODES=${1#*=} && shift ;;
      *) die "usage: tools/infra.sh up [--brokers 1|3]" ;;
    esac
  done
fi
[[ $NODES == 1 || $NODES == 3 ]] || die "--brokers / CRM_KAFKA_BROKERS must be 1 or 3 (got '$NODES')"

case "$cmd" in
  up) # separate statements, not &&: set -e is off inside the left side of an && list
    kafka_up
    postgres_up
    migrate
    ;;
  down)
    [[ -z ${1:-} || $1 == --purge ]] || die "usage: tools/infra.sh down [--purge]"
    kafka_down "${1:-}"
    ;;
  status)
    need_node_tools
    rc=0
    kafka_status || rc=1
    postgres_status || rc=1
    exit "$rc"
    ;;
  *) die "usage: tools/infra.sh up [--brokers 1|3] | down [--purge] | status" ;;
esac
