#!/usr/bin/env bash
# The OpenAPI fuzzers' seed for a CI run: derived from the commit under test, so a failure is reproduced with
# `FUZZ_SEED=<seed> npm run test:fuzz` on that commit and an unrelated landing never meets a new random draw.
# Outside a git checkout there is no commit to derive it from: 1.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
commit=$(git rev-parse HEAD 2>/dev/null | cut -c1-7) # 28 bits: a valid 32-bit seed
echo $((16#${commit:-1}))
