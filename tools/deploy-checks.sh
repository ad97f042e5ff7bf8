#!/usr/bin/env bash
# Static checks of deploy/ and docker-compose.yml with the real tools, installed from Debian's packages when
# missing (root or passwordless sudo; otherwise it says what to install):
#   promtool check config / check rules / test rules   (package prometheus; also gives the prometheus binary
#                                                         that apps/e2e/src/prometheus.int-spec.ts runs)
#   docker compose config, or docker-compose config    (package docker-compose when the plugin is absent)
#   the gateway's generated files are current          (tools/gateway --deploy --check)
#   the PrometheusRule is alerts.yml, every alert has its runbook   (tools/prometheus-rule.ts --check)
#   kubectl kustomize deploy/k8s and deploy/k8s-operators render, and every object passes its schema
#     (tools/k8s-validate.ts); without kubectl (not in Debian 12) each manifest file is validated on its own
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
node -r ./tools/register.js tools/prometheus-rule.ts --check

k8s_validate() { node -r ./tools/register.js tools/k8s-validate.ts "$@"; }
if command -v kubectl >/dev/null; then
  # deploy/k8s is the default install; deploy/k8s-operators adds the monitoring and KEDA components.
  for kustomization in deploy/k8s deploy/k8s-operators; do
    kubectl kustomize "$kustomization" | k8s_validate - || die "$kustomization does not render or is invalid"
    say "$kustomization renders and validates ($(kubectl version --client -o json | node -pe 'JSON.parse(require("fs").readFileSync(0)).clientVersion.gitVersion'))"
  done
else
  say "kubectl not found: not rendering the kustomizations; validating each manifest file on its own instead"
  mapfile -t manifests < <(find deploy/k8s -name '*.yaml' ! -name kustomization.yaml | sort)
  k8s_validate "${manifests[@]}"
fi

compose -f docker-compose.yml config -q
say "compose file valid ($(compose version --short 2>/dev/null || compose version | head -n 1))"
say "all passed"
