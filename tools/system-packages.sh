#!/usr/bin/env bash
# The programs from the distribution the project runs besides Node: nginx (the gateway, tools/gateway),
# chromium (the browser test of the gateway's CORS) and a CJK font (Chinese text in that browser's pages).
# Installs what is missing from Debian's packages (root, or passwordless sudo); otherwise says what to install.
# Idempotent: with everything present it changes nothing and says so. Called by tools/test.sh and tools/start.sh.
set -euo pipefail

say() { echo "system-packages: $*"; }
die() { echo "system-packages: $*" >&2; exit 1; }

PACKAGES=(nginx-light chromium fonts-wqy-microhei)

have_nginx() { command -v nginx >/dev/null || [[ -x /usr/sbin/nginx ]]; }
have_chromium() { command -v chromium >/dev/null; }
have_cjk_font() { # any font fontconfig knows for Chinese; without fc-list, the one this script installs
  if command -v fc-list >/dev/null; then [[ -n $(fc-list :lang=zh family 2>/dev/null) ]]; else [[ -f /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ]]; fi
}

missing=()
have_nginx || missing+=(nginx)
have_chromium || missing+=(chromium)
have_cjk_font || missing+=("a CJK font")
if ((${#missing[@]} == 0)); then
  say "nginx, chromium and a CJK font are installed"
  exit 0
fi

say "missing: ${missing[*]}; installing ${PACKAGES[*]}"
command -v apt-get >/dev/null || die "no apt-get here; install nginx, chromium and a CJK font (e.g. WenQuanYi Micro Hei) by hand"
sudo=()
if ((EUID != 0)); then
  command -v sudo >/dev/null && sudo -n true 2>/dev/null ||
    die "not root and no passwordless sudo; run as root: apt-get update && apt-get install -y --no-install-recommends ${PACKAGES[*]}"
  sudo=(sudo -n)
fi
# --no-install-recommends: the programs only. The gateway runs nginx with its own configuration (tools/gateway);
# on a machine with systemd the package also starts Debian's default site on port 80, which nothing here uses.
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -q >/dev/null || die "apt-get update failed"
"${sudo[@]}" apt-get install -y -q --no-install-recommends "${PACKAGES[@]}" >/dev/null ||
  die "could not install ${PACKAGES[*]} (run: apt-get install ${PACKAGES[*]})"
have_nginx && have_chromium && have_cjk_font || die "installed ${PACKAGES[*]}, but nginx, chromium or the font is still missing"
say "installed ${PACKAGES[*]}"
