#!/usr/bin/env bash
# Form and AI-host flavours (issue 7): every committed manifest's schemas
# through Ajv 8, RJSF, JSON Forms (in jsdom) and the OpenAI strict / Gemini
# rules, and the round trip through `thrive-blocks validate` (the debug
# binary `cargo test --workspace` built); blank text and empty lists probed
# in the form and in the tool (issue 24), JSON Forms controls for every
# field of the manager and user forms, and the playground's plain-language
# messages (ui/form-helpers). Node's test runner prints its
# TAP summary (`# pass N` / `# fail N`) and exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/../.."

export THRIVE_BLOCKS_BIN="${THRIVE_BLOCKS_BIN:-$PWD/target/debug/thrive-blocks}"
if [ ! -x "$THRIVE_BLOCKS_BIN" ]; then
    echo "20-forms: $THRIVE_BLOCKS_BIN is missing; build it first (cargo build)" >&2
    exit 1
fi
if ! command -v node >/dev/null 2>&1; then
    apt-get update -qq && apt-get install -y -qq nodejs npm
fi

cd tests/forms
npm ci --no-audit --no-fund --loglevel=error
rm -rf out
node --test --test-reporter=tap
