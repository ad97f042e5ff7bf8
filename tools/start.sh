#!/usr/bin/env bash
# `npm start`: the whole system on this machine, in one command.
#   tools/start.sh [--demo]            install if needed, bring up Kafka and PostgreSQL, migrate, build, run the
#                                      services with one combined log and the gateway in front of them, wait until
#                                      every /health/ready is green, print the gateway's URL, each service's URLs and
#                                      an admin token; Ctrl-C stops everything it started
#   tools/start.sh --detach [--demo]   the same, but leave the services running in the background
#   tools/start.sh --replicas N        run N processes of every service (default 1), balanced by the gateway: replica k
#                                      (from 0) on the service's port + 100·k (leads: 3001, 3101, …);
#                                      same database and Kafka consumer group; logs <app>.log, <app>-2.log, … in one console
#   tools/start.sh stop                stop what a --detach run left running (every replica)
# --demo loads a demo data set through the gateway (tools/demo/load-demo.ts).
# Email: without SMTP_URL, the project's own mailbox (tools/mailbox) takes every email the services send, on
# 127.0.0.1:2525 (MAILBOX_SMTP_PORT), and shows it on http://127.0.0.1:8025 (MAILBOX_HTTP_PORT); its messages are
# kept under tmp/run/mailbox. With SMTP_URL set, email goes there instead.
# The gateway (nginx, tools/gateway) is the one origin of every /api/v1 route on http://127.0.0.1:8080
# (GATEWAY_PORT), with CORS for the origins in CORS_ORIGINS; nginx, chromium and a CJK font come from Debian's
# packages (tools/system-packages.sh installs them when missing). Its files are under tmp/run/gateway/.
# Logs (JSON) and pid files go to tmp/run/ (git-ignored; CRM_RUN_DIR overrides). A service's port is <APP>_PORT (e.g. LEADS_PORT) or
# its default.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

RUN=${CRM_RUN_DIR:-tmp/run} # another directory keeps a second system (a test) apart from yours
READY_TIMEOUT=${START_READY_TIMEOUT:-180} # seconds per service; a loaded 2-core machine needs more than a minute
GATEWAY_PORT=${GATEWAY_PORT:-8080}
# The web-form intake refuses every post without a secret; locally (only here, never in production) it gets
# a known one, so `--demo` and curl can sign posts. tools/demo reads the same variable.
export LEADS_WEBFORM_SECRET=${LEADS_WEBFORM_SECRET:-local-webform-secret-change-me-0123456789}
# The console's development sign-in (pick a rep and a role): here only; the services refuse it in production.
export DEV_SIGN_IN=${DEV_SIGN_IN:-true}
declare -A DEFAULT_PORT=([leads]=3001 [opportunities]=3002 [orders]=3003 [inventory]=3004 [finance]=3005 [analytics]=3006 [customers]=3007 [notifications]=3008)

port_var() { # LEADS_PORT for leads
  echo "$(tr '[:lower:]-' '[:upper:]_' <<<"$1")_PORT"
}

port_of() { # LEADS_PORT for leads, else its default (as DEFAULT_PORTS in libs/platform), else 3000 for an app not listed yet
  local var
  var=$(port_var "$1")
  echo "${!var:-${DEFAULT_PORT[$1]:-3000}}"
}

stop_pid() { # stop_pid <pidfile> <what>: SIGTERM lets Nest close its consumers and pool; SIGKILL after 10 s
  local pidfile=$1 what=$2 pid waited
  [[ -f $pidfile ]] || return 0
  pid=$(<"$pidfile")
  rm -f "$pidfile"
  kill -TERM "$pid" 2>/dev/null || return 0
  for ((waited = 0; waited < 20; waited++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
  done
  kill -KILL "$pid" 2>/dev/null || true
  echo "start: stopped $what (pid $pid)"
}

stop_all() {
  local pidfile
  for pidfile in "$RUN"/*.pid; do
    [[ -f $pidfile ]] && stop_pid "$pidfile" "$(basename "$pidfile" .pid)"
  done
  stop_pid "$RUN/logs.follower" "the log console" >/dev/null
  if [[ -f $RUN/kafka.started ]]; then # only a broker this script brought up
    rm -f "$RUN/kafka.started"
    bash tools/infra.sh down
  fi
}

on_signal() {
  # A second Ctrl-C must not interrupt the clean stop, and neither may a closed output: with
  # `npm start | tee run.log`, Ctrl-C ends tee too, and the next write would kill this script (SIGPIPE) or
  # fail under `set -e` before the broker is stopped. From here on, what stopping says goes to the terminal
  # while it still reads (tee -p carries on past a closed pipe) and always to $RUN/stop.log.
  trap '' INT TERM PIPE
  exec > >(tee -p "$RUN/stop.log") 2>&1
  echo
  stop_all
  echo "start: everything stopped"
  exit 0
}

install_if_needed() { # a fresh clone has no node_modules; a changed lock file needs a new install
  if [[ -L node_modules ]]; then # npm ci would empty the checkout the link points at
    echo "start: node_modules links to $(readlink node_modules); not reinstalling through the link"
    return
  fi
  if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
    echo "start: installing dependencies (npm ci)"
    npm ci --no-audit --no-fund
  fi
}

start_infra() {
  if [[ -z ${KAFKA_BROKERS:-} ]] && ! node tools/kafka-ping.js 127.0.0.1:9092 2>/dev/null; then
    touch "$RUN/kafka.started"
  fi
  bash tools/infra.sh up
}

REPLICA_PORT_STEP=100 # as tools/gateway/local.ts

replica_name() { # replica_name <app> <k>: leads for the first replica (k = 0), leads-2 for the second, …
  if (($2 == 0)); then echo "$1"; else echo "$1-$(($2 + 1))"; fi
}

replica_port() { # replica_port <app> <k>
  echo $(($(port_of "$1") + REPLICA_PORT_STEP * $2))
}

start_app() { # start_app <app> <k>: own log file, own PORT so a global PORT cannot make them collide
  local app=$1 k=$2 name port
  name=$(replica_name "$app" "$k")
  port=$(replica_port "$app" "$k")
  # <APP>_PORT wins over PORT in the service (libs/platform): each replica gets its own of both.
  env "$(port_var "$app")=$port" PORT="$port" nohup node "dist/apps/$app/src/main.js" >"$RUN/$name.log" 2>&1 </dev/null &
  echo $! >"$RUN/$name.pid"
}

start_mailbox() { # the local SMTP server, unless SMTP_URL names one; stopped with the services (its pid file)
  [[ -z ${SMTP_URL:-} ]] || return 0
  local smtp=${MAILBOX_SMTP_PORT:-2525}
  MAILBOX_DIR=${MAILBOX_DIR:-$RUN/mailbox} nohup node -r ./tools/register.js tools/mailbox/main.ts >"$RUN/mailbox.log" 2>&1 </dev/null &
  echo $! >"$RUN/mailbox.pid"
  export SMTP_URL=smtp://127.0.0.1:$smtp
  MAILBOX_URL=http://127.0.0.1:${MAILBOX_HTTP_PORT:-8025}
}

start_gateway() { # nginx with the configuration tools/gateway writes from the API document; its own pid file
  local conf dir nginx=nginx
  conf=$(CRM_RUN_DIR=$RUN GATEWAY_PORT=$GATEWAY_PORT CRM_REPLICAS=$replicas node -r ./tools/register.js tools/gateway/main.ts) || return 1
  dir=$(dirname "$conf")
  command -v nginx >/dev/null || nginx=/usr/sbin/nginx # Debian's, not on a normal user's PATH
  # In the foreground of its own process (daemon off), so the pid is the master's and SIGTERM stops it.
  nohup "$nginx" -p "$dir" -c nginx.conf -e "$dir/error.log" -g 'daemon off;' >"$RUN/gateway.log" 2>&1 </dev/null &
  echo $! >"$RUN/gateway.pid"
}

wait_gateway() {
  wait_for "the gateway" "http://127.0.0.1:$GATEWAY_PORT/api/openapi.json" "$RUN/gateway.pid" "$RUN/gateway/error.log" "to start on port $GATEWAY_PORT (set GATEWAY_PORT to use another)"
}

wait_for() { # wait_for <name> <url> <pid file> <log> <what failed>: until the URL answers 2xx, the process dies, or the timeout passes
  local name=$1 url=$2 pid deadline=$((SECONDS + READY_TIMEOUT))
  pid=$(<"$3")
  until node -e "fetch('$url').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"; do
    if ! kill -0 "$pid" 2>/dev/null || ((SECONDS >= deadline)); then
      echo "start: $name FAILED $5; last lines of $4:" >&2
      tail -n 15 "$4" >&2
      return 1
    fi
    sleep 1
  done
}

wait_mailbox() { # until the mailbox's view answers, or its process died (a port in use)
  [[ -n ${MAILBOX_URL:-} ]] || return 0
  wait_for "the mailbox" "$MAILBOX_URL/messages" "$RUN/mailbox.pid" "$RUN/mailbox.log" "to start (set SMTP_URL to use another server)"
}

wait_ready() { # wait_ready <app> <k>: until /health/ready is green, the process dies, or the timeout passes
  local name port
  name=$(replica_name "$1" "$2")
  port=$(replica_port "$1" "$2")
  wait_for "$name" "http://127.0.0.1:$port/health/ready" "$RUN/$name.pid" "$RUN/$name.log" "to become ready on port $port"
}

print_summary() {
  local app port k
  echo
  echo "start: all services are ready$( ((replicas > 1)) && echo " ($replicas replicas each, balanced by the gateway)")"
  local gateway=http://127.0.0.1:$GATEWAY_PORT
  echo "  console: $gateway/  (the sales console; sign in as a rep or a manager$( ((demo)) && echo ' of the demo data'))"
  echo "  gateway: $gateway  (every /api/v1 route; docs $gateway/docs, document $gateway/api/openapi.json)"
  echo "  CORS for: ${CORS_ORIGINS:-the local console origins (set CORS_ORIGINS)}; access log $RUN/gateway/access.log"
  echo
  printf '  %-16s %-24s %-32s %s\n' service API docs metrics
  for app in "$@"; do
    for ((k = 0; k < replicas; k++)); do
      port=$(replica_port "$app" "$k")
      printf '  %-16s %-24s %-32s %s\n' "$(replica_name "$app" "$k")" "http://127.0.0.1:$port" "http://127.0.0.1:$port/docs" "http://127.0.0.1:$port/metrics"
    done
  done
  echo
  echo "  admin token (12 h, local secret; other roles: npm run token -- --role sales_rep --sub <rep id>):"
  echo "  export TOKEN=$(node -r ./tools/register.js tools/token.ts)"
  echo "  curl -H \"Authorization: Bearer \$TOKEN\" $gateway/api/v1/leads"
  echo
  if [[ -n ${MAILBOX_URL:-} ]]; then
    echo "  email goes to the local mailbox: $MAILBOX_URL (SMTP $SMTP_URL, log $RUN/mailbox.log)"
  else
    echo "  email goes to $SMTP_URL"
  fi
  echo
}

main() {
  local usage="usage: tools/start.sh [--detach] [--demo] [--replicas N] | stop"
  detach=0 demo=0 replicas=1
  while (($# > 0)); do
    case $1 in
      --detach) detach=1 ;;
      --demo) demo=1 ;;
      --replicas)
        (($# > 1)) || { echo "$usage" >&2 && exit 2; }
        replicas=$2 && shift
        ;;
      --replicas=*) replicas=${1#--replicas=} ;;
      *) echo "$usage" >&2 && exit 2 ;;
    esac
    shift
  done
  [[ $replicas =~ ^[1-9]$ ]] || { echo "start: --replicas takes a number from 1 to 9" >&2 && exit 2; }
  mkdir -p "$RUN"
  stop_all # services from an earlier --detach would hold the ports
  trap on_signal INT TERM
  install_if_needed
  bash tools/system-packages.sh
  start_mailbox
  start_infra
  rm -rf dist # a stale build of a renamed or removed app must not start
  npm run --silent build
  local apps=() app failed=0
  for app in dist/apps/*/src/main.js; do
    [[ -f $app ]] && apps+=("$(basename "$(dirname "$(dirname "$app")")")")
  done
  ((${#apps[@]} > 0)) || { echo "start: no services built (no dist/apps/*/src/main.js)" >&2; exit 1; }
  local k
  for app in "${apps[@]}"; do
    for ((k = 0; k < replicas; k++)); do start_app "$app" "$k"; done
  done
  start_gateway || { stop_all; exit 1; }
  if ((detach == 0)); then
    local logs=()
    for app in "${apps[@]}"; do
      for ((k = 0; k < replicas; k++)); do logs+=("$RUN/$(replica_name "$app" "$k").log"); done
    done
    [[ -z ${MAILBOX_URL:-} ]] || logs+=("$RUN/mailbox.log")
    node tools/pretty-logs.js "${logs[@]}" &
    echo $! >"$RUN/logs.follower"
  fi
  wait_mailbox || failed=1
  wait_gateway || failed=1
  for app in "${apps[@]}"; do
    for ((k = 0; k < replicas; k++)); do wait_ready "$app" "$k" || failed=1; done
  done
  if ((failed)); then
    stop_all
    exit 1
  fi
  print_summary "${apps[@]}"
  if ((demo)); then
    GATEWAY_URL=http://127.0.0.1:$GATEWAY_PORT node -r ./tools/register.js tools/demo/load-demo.ts || { stop_all; exit 1; }
  fi
  if ((detach)); then
    echo "start: services left running; stop them with: npm start -- stop"
    return 0
  fi
  echo "start: running; press Ctrl-C to stop"
  wait
}

case "${1:-}" in
  stop) stop_all ;;
  *) main "$@" ;;
esac
