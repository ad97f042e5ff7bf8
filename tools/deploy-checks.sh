#!/usr/bin/env bash
# Static checks of deploy/ and docker-compose.yml with the real tools, installed from Debian's packages when
# missing (root or passwordless sudo; otherwise it says what to install):
#   promtool check config / check rules / test rules   (package prometheus; also gives the prometheus binary
#                                                         that apps/e2e/src/prometheus.int-spec.ts runs)
#   docker compose config, or docker-compose config    (package docker-compose when the plugin is absent)
#   the gateway's generated files are current          (tools/gateway --deploy --check)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

say() { echo "deploy-checks: $*"; }
die() { echo "deploy-checks: $*" >&2; exit 1; }

apt_install() { # apt_install <package>...
  local sudo=()
  ((EUID == 0)) || sudo=(sudo -n)
  command -v apt-get >/dev/null || die "missing: $* (no apt-get here; install them by hand)"
  say "installing $* from Debian's packages"
  # --no-install-recommends: the tools only; nothing is started (there is no systemd here).
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q --no-install-recommends "$@" >/dev/null ||
    die "could not install $* (run: apt-get install $*)"
}

compose() { # the v2 plugin if the Docker CLI has it, else Debian's docker-compose
  if docker compose version >/dev/null 2>&1; then docker compose "$@"; else docker-compose "$@"; fi
}

command -v promtool >/dev/null && command -v prometheus >/dev/null || apt_install prometheus
docker compose version >/dev/null 2>&1 || command -v docker-compose >/dev/null || apt_install docker-compose

promtool check config deploy/prometheus/prometheus.yml
promtool test rules deploy/prometheus/alerts.test.yml
# The gateway's compose configuration and Ingress are generated from the API document: they must be current.
node -r ./tools/register.js tools/gateway/main.ts --deploy --check
say "gateway configuration current (deploy/gateway, deploy/k8s/gateway)"
compose -f docker-compose.yml config -q
say "compose file valid ($(compose version --short 2>/dev/null || compose version | head -n 1))"
say "all passed"
