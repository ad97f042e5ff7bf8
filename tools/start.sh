#!/usr/bin/env bash
# `npm start`: local infrastructure, a fresh build, then every service found in dist/apps/*/src/main.js.
#   tools/start.sh            run in the foreground; Ctrl-C stops the services (Kafka and PostgreSQL keep running)
#   tools/start.sh --detach   leave the services running in the background
#   tools/start.sh stop       stop services left running by --detach
# Logs and pid files go to tmp/run/ (git-ignored). A service's port is <APP>_PORT (e.g. LEADS_PORT) or its default.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

RUN=tmp/run
READY_TIMEOUT=60
declare -A DEFAULT_PORT=([leads]=3001 [opportunities]=3002 [orders]=3003 [inventory]=3004 [finance]=3005 [analytics]=3006)

port_of() { # LEADS_PORT for leads, else the default from DESIGN.md, else 3000 for an app not listed yet
  local var
  var="$(tr '[:lower:]-' '[:upper:]_' <<<"$1")_PORT"
  echo "${!var:-${DEFAULT_PORT[$1]:-3000}}"
}

stop_all() { # SIGTERM lets Nest close its Kafka consumers and database pool; SIGKILL after 10 s
  local pidfile pid waited
  for pidfile in "$RUN"/*.pid; do
    [[ -f $pidfile ]] || continue
    pid=$(<"$pidfile")
    rm -f "$pidfile"
    kill -TERM "$pid" 2>/dev/null || continue
    for ((waited = 0; waited < 20; waited++)); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.5
    done
    kill -KILL "$pid" 2>/dev/null || true
    echo "start: stopped $(basename "$pidfile" .pid) (pid $pid)"
  done
}

on_signal() {
  trap '' INT TERM # a second Ctrl-C must not interrupt the clean stop
  stop_all
  exit 0
}

start_app() { # start_app <app>: own log file, own PORT so a global PORT cannot make them collide
  local app=$1 port
  port=$(port_of "$app")
  PORT=$port nohup node "dist/apps/$app/src/main.js" >"$RUN/$app.log" 2>&1 </dev/null &
  echo $! >"$RUN/$app.pid"
}

wait_live() { # wait_live <app>: until /health/live answers, the process dies, or the timeout passes
  local app=$1 port pid deadline=$((SECONDS + READY_TIMEOUT))
  port=$(port_of "$app")
  pid=$(<"$RUN/$app.pid")
  until node -e "fetch('http://127.0.0.1:$port/health/live').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"; do
    if ! kill -0 "$pid" 2>/dev/null || ((SECONDS >= deadline)); then
      echo "start: $app FAILED to come up on port $port; last lines of $RUN/$app.log:" >&2
      tail -n 15 "$RUN/$app.log" >&2
      return 1
    fi
    sleep 1
  done
  printf 'start: %-14s http://127.0.0.1:%s  (API docs /docs, metrics /metrics, log %s)\n' "$app" "$port" "$RUN/$app.log"
}

main() {
  mkdir -p "$RUN"
  stop_all # services from an earlier --detach would hold the ports
  bash tools/infra.sh up
  rm -rf dist # a stale build of a renamed or removed app must not start
  npm run --silent build
  local apps=() app failed=0
  for app in dist/apps/*/src/main.js; do
    [[ -f $app ]] && apps+=("$(basename "$(dirname "$(dirname "$app")")")")
  done
  if ((${#apps[@]} == 0)); then
    echo "start: no services built yet (no dist/apps/*/src/main.js); the infrastructure is up"
    return 0
  fi
  for app in "${apps[@]}"; do start_app "$app"; done
  for app in "${apps[@]}"; do wait_live "$app" || failed=1; done
  if [[ ${1:-} == --detach ]]; then
    echo "start: services left running; stop them with: bash tools/start.sh stop"
    return "$failed"
  fi
  trap on_signal INT TERM
  ((failed == 0)) || { stop_all; return 1; }
  echo "start: running; press Ctrl-C to stop the services"
  wait
}

case "${1:-}" in
  stop) stop_all ;;
  "" | --detach) main "${1:-}" ;;
  *) echo "usage: tools/start.sh [--detach | stop]" >&2 && exit 1 ;;
esac
