#!/usr/bin/env bash
# `npm run lint` (all code: apps libs tools bench) and `nx run <project>:lint` (one project's folder):
# prettier --check (formatting), then eslint (module boundaries and the type-aware promise rules). Both run
# every time, so one pass shows every problem; the exit status is non-zero if either found one. Prettier keeps
# a cache of what it found formatted (node_modules/.cache/prettier, by content).
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export NX_DAEMON=${NX_DAEMON:-false}
bin=node_modules/.bin

if [ $# -eq 0 ]; then
  set -- apps libs tools bench
  # @nx/enforce-module-boundaries reads the cached project graph: make sure there is one (under nx it exists).
  "$bin/nx" show projects >/dev/null || exit 1
fi

status=0
"$bin/prettier" --check --cache "$@" || { status=1; echo "lint: prettier found unformatted files (npx prettier --write <file> formats one)" >&2; }
"$bin/eslint" -c tools/eslint.config.mjs --max-warnings 0 "$@" || status=1
exit $status
